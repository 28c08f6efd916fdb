package io.github.gptfromscratch.tensor.internal.kernels;

import java.util.Arrays;

/** Plain Java loops: the fallback without the Vector API, and the reference in tests. */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public boolean vectorized() {
        return false;
    }

    @Override
    public float dot(int n, float[] a, int aOff, float[] b, int bOff) {
        // Four accumulators break the add dependency chain, as the vector kernel does per lane.
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float sum(int n, float[] x, int off) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[off + i];
            s1 += x[off + i + 1];
            s2 += x[off + i + 2];
            s3 += x[off + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float max(int n, float[] x, int off) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int off) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= alpha;
        }
    }

    @Override
    public void unary(UnaryOp op, int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = ScalarMath.apply(op, x[xOff + i]);
        }
    }

    @Override
    public void binary(BinaryOp op, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = ScalarMath.apply(op, a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    @Override
    public void gemmSmall(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                          float[] b, int bOff, int bRowStride, float[] c, int cOff, int cRowStride,
                          boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * cRowStride;
            if (!accumulate) {
                Arrays.fill(c, cRow, cRow + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                axpy(n, a[aOff + i * aRowStride + p * aColStride], b, bOff + p * bRowStride, c, cRow);
            }
        }
    }

    @Override
    public float expShiftSum(int n, float[] x, int xOff, float shift, float[] out, int outOff) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            float e = ScalarMath.exp(x[xOff + i] - shift);
            out[outOff + i] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public void adamW(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int mvOff, float decay,
                      float beta1, float beta2, float eps, float stepSize, float invSqrtBc2) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float mi = beta1 * m[mvOff + i] + (1 - beta1) * gi;
            float vi = beta2 * v[mvOff + i] + (1 - beta2) * gi * gi;
            m[mvOff + i] = mi;
            v[mvOff + i] = vi;
            p[pOff + i] = p[pOff + i] * decay - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
        }
    }
}
