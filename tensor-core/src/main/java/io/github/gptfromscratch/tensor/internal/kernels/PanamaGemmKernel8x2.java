package io.github.gptfromscratch.tensor.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel with a tile of eight rows by two vectors (8×32 floats with 512-bit
 * vectors): sixteen accumulators, two B vectors and a broadcast, within AVX-512's 32 registers. The
 * narrow kernel beside 6×4 on AVX-512: eight rows divide the row counts of small products (a batch of
 * 32, 64 or 768 rows) without a ragged last sliver, which 6-row tiles compute as a padded whole.
 *
 * <p>Written out like {@link PanamaGemmKernel6x2}: nothing is called inside the loop, and each row of A
 * has its own index, so the same loop reads packed micro-panels and rows or columns of an unpacked A.
 */
public final class PanamaGemmKernel8x2 implements GemmMicroKernel {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final int MR = 8;
    private static final int NR = 2 * L;

    /** Loaded reflectively by {@link KernelProvider#select}. */
    public PanamaGemmKernel8x2() {
    }

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
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        FloatVector c40, c41, c50, c51, c60, c61, c70, c71;
        if (addToC) {
            int r0 = cIdx;
            c00 = FloatVector.fromArray(F, c, r0);
            c01 = FloatVector.fromArray(F, c, r0 + L);
            int r1 = cIdx + cRowStride;
            c10 = FloatVector.fromArray(F, c, r1);
            c11 = FloatVector.fromArray(F, c, r1 + L);
            int r2 = cIdx + 2 * cRowStride;
            c20 = FloatVector.fromArray(F, c, r2);
            c21 = FloatVector.fromArray(F, c, r2 + L);
            int r3 = cIdx + 3 * cRowStride;
            c30 = FloatVector.fromArray(F, c, r3);
            c31 = FloatVector.fromArray(F, c, r3 + L);
            int r4 = cIdx + 4 * cRowStride;
            c40 = FloatVector.fromArray(F, c, r4);
            c41 = FloatVector.fromArray(F, c, r4 + L);
            int r5 = cIdx + 5 * cRowStride;
            c50 = FloatVector.fromArray(F, c, r5);
            c51 = FloatVector.fromArray(F, c, r5 + L);
            int r6 = cIdx + 6 * cRowStride;
            c60 = FloatVector.fromArray(F, c, r6);
            c61 = FloatVector.fromArray(F, c, r6 + L);
            int r7 = cIdx + 7 * cRowStride;
            c70 = FloatVector.fromArray(F, c, r7);
            c71 = FloatVector.fromArray(F, c, r7 + L);
        } else {
            c00 = FloatVector.zero(F);
            c01 = c00; c10 = c00; c11 = c00; c20 = c00; c21 = c00; c30 = c00; c31 = c00; c40 = c00;
            c41 = c00; c50 = c00; c51 = c00; c60 = c00; c61 = c00; c70 = c00; c71 = c00;
        }
        int a0 = aIdx;
        int a1 = aIdx + aRowStride;
        int a2 = aIdx + 2 * aRowStride;
        int a3 = aIdx + 3 * aRowStride;
        int a4 = aIdx + 4 * aRowStride;
        int a5 = aIdx + 5 * aRowStride;
        int a6 = aIdx + 6 * aRowStride;
        int a7 = aIdx + 7 * aRowStride;
        int bi = bIdx;
        for (int p = 0; p < kc; p++, bi += bRowStride) {
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector x0 = FloatVector.broadcast(F, a[a0]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(F, a[a1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(F, a[a2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(F, a[a3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            FloatVector x4 = FloatVector.broadcast(F, a[a4]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            FloatVector x5 = FloatVector.broadcast(F, a[a5]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            FloatVector x6 = FloatVector.broadcast(F, a[a6]);
            c60 = x6.fma(b0, c60);
            c61 = x6.fma(b1, c61);
            FloatVector x7 = FloatVector.broadcast(F, a[a7]);
            c70 = x7.fma(b0, c70);
            c71 = x7.fma(b1, c71);
            a0 += aColStride; a1 += aColStride; a2 += aColStride; a3 += aColStride;
            a4 += aColStride; a5 += aColStride; a6 += aColStride; a7 += aColStride;
        }
        int s0 = cIdx;
        c00.intoArray(c, s0);
        c01.intoArray(c, s0 + L);
        int s1 = cIdx + cRowStride;
        c10.intoArray(c, s1);
        c11.intoArray(c, s1 + L);
        int s2 = cIdx + 2 * cRowStride;
        c20.intoArray(c, s2);
        c21.intoArray(c, s2 + L);
        int s3 = cIdx + 3 * cRowStride;
        c30.intoArray(c, s3);
        c31.intoArray(c, s3 + L);
        int s4 = cIdx + 4 * cRowStride;
        c40.intoArray(c, s4);
        c41.intoArray(c, s4 + L);
        int s5 = cIdx + 5 * cRowStride;
        c50.intoArray(c, s5);
        c51.intoArray(c, s5 + L);
        int s6 = cIdx + 6 * cRowStride;
        c60.intoArray(c, s6);
        c61.intoArray(c, s6 + L);
        int s7 = cIdx + 7 * cRowStride;
        c70.intoArray(c, s7);
        c71.intoArray(c, s7 + L);
    }
}
