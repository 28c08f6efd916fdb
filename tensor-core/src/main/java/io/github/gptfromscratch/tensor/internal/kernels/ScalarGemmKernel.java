package io.github.gptfromscratch.tensor.internal.kernels;

/**
 * The plain-Java 4×4 micro-kernel, used when the Vector API is not active: sixteen scalar
 * accumulators, so that C2 keeps the tile in registers and each loaded value feeds four multiply-adds.
 */
final class ScalarGemmKernel implements GemmMicroKernel {

    private static final int MR = 4;
    private static final int NR = 4;

    @Override
    public int rows() {
        return MR;
    }

    @Override
    public int cols() {
        return NR;
    }

    @Override
    public void multiply(int kc, float[] a, int aIdx, int aRowStride, int aColStride,
                         float[] b, int bIdx, int bRowStride, float[] c, int cIdx, int cRowStride, boolean addToC) {
        int r0 = cIdx;
        int r1 = r0 + cRowStride;
        int r2 = r1 + cRowStride;
        int r3 = r2 + cRowStride;
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        if (addToC) {
            c00 = c[r0]; c01 = c[r0 + 1]; c02 = c[r0 + 2]; c03 = c[r0 + 3];
            c10 = c[r1]; c11 = c[r1 + 1]; c12 = c[r1 + 2]; c13 = c[r1 + 3];
            c20 = c[r2]; c21 = c[r2 + 1]; c22 = c[r2 + 2]; c23 = c[r2 + 3];
            c30 = c[r3]; c31 = c[r3 + 1]; c32 = c[r3 + 2]; c33 = c[r3 + 3];
        }
        int i0 = aIdx;
        int i1 = i0 + aRowStride;
        int i2 = i1 + aRowStride;
        int i3 = i2 + aRowStride;
        int bi = bIdx;
        for (int p = 0; p < kc; p++, bi += bRowStride) {
            float b0 = b[bi], b1 = b[bi + 1], b2 = b[bi + 2], b3 = b[bi + 3];
            float a0 = a[i0];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            float a1 = a[i1];
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            float a2 = a[i2];
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            float a3 = a[i3];
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            i0 += aColStride; i1 += aColStride; i2 += aColStride; i3 += aColStride;
        }
        c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02; c[r0 + 3] = c03;
        c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13;
        c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23;
        c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33;
    }
}
