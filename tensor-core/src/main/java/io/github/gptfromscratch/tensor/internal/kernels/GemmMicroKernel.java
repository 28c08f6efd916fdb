package io.github.gptfromscratch.tensor.internal.kernels;

/**
 * The innermost step of {@link Gemm}: one register tile of C updated with the product of an MR-row
 * sliver of A and an NR-column micro-panel of B.
 *
 * <p>Row i of the A sliver, at step p, is {@code a[aIdx + i·aRowStride + p·aColStride]}: a packed
 * micro-panel has strides (1, MR), an unpacked row-major A (lda, 1), a transposed one (1, lda). The B
 * micro-panel holds NR columns row by row: {@code b[bIdx + p·bRowStride + j]}, packed (stride NR) or
 * read in place from a row-major B (its row stride). Implementations keep the whole
 * tile in registers for the length of the k loop: load it once (or start from zero), then store it once.
 */
interface GemmMicroKernel {

    /** The number of rows of C in one tile (MR). */
    int rows();

    /** The number of columns of C in one tile (NR). */
    int cols();

    /**
     * Computes the full {@code rows()×cols()} tile at {@code c[cIdx + i·cRowStride + j]}: the sum over
     * {@code p < kc} of {@code a[aIdx + i·aRowStride + p·aColStride] · b[bIdx + p·bRowStride + j]}, added
     * to the tile when {@code addToC}, written over it otherwise.
     */
    void multiply(int kc, float[] a, int aIdx, int aRowStride, int aColStride,
                  float[] b, int bIdx, int bRowStride, float[] c, int cIdx, int cRowStride, boolean addToC);

    /** Picks a micro-kernel; the Vector API one is loaded reflectively so the scalar path never links it. */
    interface Chooser {

        /**
         * The kernel for this CPU and JDK, or the one named by {@code tile} (rows x vectors, e.g.
         * {@code "6x4"}) when it is not null.
         *
         * @throws IllegalArgumentException if {@code tile} names no kernel
         */
        GemmMicroKernel choose(String tile);

        /**
         * A kernel with at most half the columns of {@code wide}, for products too narrow to fill its
         * tile, or {@code wide} itself when there is none.
         */
        default GemmMicroKernel narrowFor(GemmMicroKernel wide) {
            return wide;
        }
    }
}
