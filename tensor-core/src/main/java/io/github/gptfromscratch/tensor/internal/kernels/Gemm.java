package io.github.gptfromscratch.tensor.internal.kernels;

/**
 * Single-precision matrix multiply over strided operands: C = A·B, or C += A·B.
 *
 * <p>A is m×k with element (i, p) at {@code a[aOff + i·aRowStride + p·aColStride]}; B is k×n likewise;
 * C is m×n with unit column stride, element (i, j) at {@code c[cOff + i·cRowStride + j]}. A transposed
 * operand is just another pair of strides.
 */
public final class Gemm {

    private Gemm() {
    }

    public static void sgemm(int m, int n, int k,
                             float[] a, int aOff, int aRowStride, int aColStride,
                             float[] b, int bOff, int bRowStride, int bColStride,
                             float[] c, int cOff, int cRowStride, boolean accumulate) {
        Kernels kernels = Kernels.get();
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * cRowStride;
            if (!accumulate) {
                java.util.Arrays.fill(c, cRow, cRow + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * aRowStride + p * aColStride];
                int bRow = bOff + p * bRowStride;
                if (bColStride == 1) {
                    kernels.axpy(n, aip, b, bRow, c, cRow);
                } else {
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bRow + j * bColStride];
                    }
                }
            }
        }
    }

    /** {@code batch} independent products; matrix {@code t} of each operand starts at its offset array's entry {@code t}. */
    public static void sgemmBatched(int batch, int m, int n, int k,
                                    float[] a, int[] aOffs, int aRowStride, int aColStride,
                                    float[] b, int[] bOffs, int bRowStride, int bColStride,
                                    float[] c, int[] cOffs, int cRowStride, boolean accumulate) {
        for (int t = 0; t < batch; t++) {
            sgemm(m, n, k, a, aOffs[t], aRowStride, aColStride, b, bOffs[t], bRowStride, bColStride,
                    c, cOffs[t], cRowStride, accumulate);
        }
    }
}
