package io.github.gptfromscratch.tensor.internal.kernels;

/**
 * The inner loops of the library: the only code that may use SIMD.
 *
 * <p>Two implementations exist, {@link ScalarKernels} and {@code PanamaKernels} (Java Vector API);
 * {@link #get()} returns the one chosen once at start-up by {@link KernelProvider}. Every method works
 * on runs of {@code n} floats in arrays at given offsets; the tensor layer turns strided tensors into
 * such runs.
 */
public interface Kernels {

    /** The kernels in use for this JVM. */
    static Kernels get() {
        return KernelProvider.KERNELS;
    }

    /** "vector (256-bit)" or "scalar": for logs and tests. */
    String name();

    /** Whether this implementation uses the Vector API. */
    boolean vectorized();

    /** Σ a[i]·b[i]. */
    float dot(int n, float[] a, int aOff, float[] b, int bOff);

    /** Σ x[i]. */
    float sum(int n, float[] x, int off);

    /** max x[i]; -∞ for {@code n == 0}; NaN if any element is NaN. */
    float max(int n, float[] x, int off);

    /** y[i] += alpha·x[i]. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** x[i] *= alpha. */
    void scale(int n, float alpha, float[] x, int off);

    /** out[i] = op(x[i]); {@code out} may be {@code x} at the same offset. */
    void unary(UnaryOp op, int n, float[] x, int xOff, float[] out, int outOff);

    /**
     * out[i] = op(a[aOff + i·aStride], b[bOff + i·bStride]) with strides 0 (a broadcast scalar) or 1;
     * {@code out} is contiguous and may alias an input at the same offset.
     */
    void binary(BinaryOp op, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                float[] out, int outOff);

    /**
     * C = A·B, or C += A·B when {@code accumulate}, read in place without packing: the product of one
     * attention head, where {@link Gemm}'s packing and tiling set-up would cost more than the arithmetic.
     * A is m×k with element (i, p) at {@code a[aOff + i·aRowStride + p·aColStride]} (any strides: it is
     * read one value at a time), B is k×n row-major at {@code b[bOff + p·bRowStride + j]}, C is m×n
     * row-major at {@code c[cOff + i·cRowStride + j]}.
     */
    void gemmSmall(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                   float[] b, int bOff, int bRowStride, float[] c, int cOff, int cRowStride, boolean accumulate);

    /** out[i] = exp(x[i] − shift) and returns Σ out[i] (the body of a stable softmax). */
    float expShiftSum(int n, float[] x, int xOff, float shift, float[] out, int outOff);

    /**
     * One AdamW update of {@code n} parameters, exactly as {@code torch.optim.AdamW} computes it:
     * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p·decay − stepSize·m / (√v·invSqrtBc2 + eps).
     */
    void adamW(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int mvOff, float decay,
               float beta1, float beta2, float eps, float stepSize, float invSqrtBc2);
}
