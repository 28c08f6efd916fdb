package io.github.gptfromscratch.tensor.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel with a tile of six rows by four vectors (6×64 floats with 512-bit
 * vectors): twenty-four accumulators, for CPUs with AVX-512's thirty-two vector registers; each
 * broadcast A value feeds four FMAs and each B vector six.
 *
 * <p>See docs/perf/matmul.md for the measurements behind the choice. Everything is written out and
 * nothing is called inside the loop: a helper call in the kernel is enough for C2 to stop inlining the
 * vector intrinsics. Each row of A has its own index, so the same loop reads packed micro-panels and
 * rows or columns of an unpacked A.
 */
public final class PanamaGemmKernel6x4 implements GemmMicroKernel {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final int MR = 6;
    private static final int NR = 4 * L;

    /** Loaded reflectively by {@link KernelProvider#select}. */
    public PanamaGemmKernel6x4() {
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
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        if (addToC) {
            int r0 = cIdx;
            c00 = FloatVector.fromArray(F, c, r0);
            c01 = FloatVector.fromArray(F, c, r0 + L);
            c02 = FloatVector.fromArray(F, c, r0 + 2 * L);
            c03 = FloatVector.fromArray(F, c, r0 + 3 * L);
            int r1 = cIdx + cRowStride;
            c10 = FloatVector.fromArray(F, c, r1);
            c11 = FloatVector.fromArray(F, c, r1 + L);
            c12 = FloatVector.fromArray(F, c, r1 + 2 * L);
            c13 = FloatVector.fromArray(F, c, r1 + 3 * L);
            int r2 = cIdx + 2 * cRowStride;
            c20 = FloatVector.fromArray(F, c, r2);
            c21 = FloatVector.fromArray(F, c, r2 + L);
            c22 = FloatVector.fromArray(F, c, r2 + 2 * L);
            c23 = FloatVector.fromArray(F, c, r2 + 3 * L);
            int r3 = cIdx + 3 * cRowStride;
            c30 = FloatVector.fromArray(F, c, r3);
            c31 = FloatVector.fromArray(F, c, r3 + L);
            c32 = FloatVector.fromArray(F, c, r3 + 2 * L);
            c33 = FloatVector.fromArray(F, c, r3 + 3 * L);
            int r4 = cIdx + 4 * cRowStride;
            c40 = FloatVector.fromArray(F, c, r4);
            c41 = FloatVector.fromArray(F, c, r4 + L);
            c42 = FloatVector.fromArray(F, c, r4 + 2 * L);
            c43 = FloatVector.fromArray(F, c, r4 + 3 * L);
            int r5 = cIdx + 5 * cRowStride;
            c50 = FloatVector.fromArray(F, c, r5);
            c51 = FloatVector.fromArray(F, c, r5 + L);
            c52 = FloatVector.fromArray(F, c, r5 + 2 * L);
            c53 = FloatVector.fromArray(F, c, r5 + 3 * L);
        } else {
            c00 = FloatVector.zero(F);
            c01 = c00; c02 = c00; c03 = c00; c10 = c00; c11 = c00; c12 = c00;
            c13 = c00; c20 = c00; c21 = c00; c22 = c00; c23 = c00; c30 = c00;
            c31 = c00; c32 = c00; c33 = c00; c40 = c00; c41 = c00; c42 = c00;
            c43 = c00; c50 = c00; c51 = c00; c52 = c00; c53 = c00;
        }
        int a0 = aIdx;
        int a1 = aIdx + aRowStride;
        int a2 = aIdx + 2 * aRowStride;
        int a3 = aIdx + 3 * aRowStride;
        int a4 = aIdx + 4 * aRowStride;
        int a5 = aIdx + 5 * aRowStride;
        int bi = bIdx;
        for (int p = 0; p < kc; p++, bi += bRowStride) {
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, b, bi + 3 * L);
            FloatVector x0 = FloatVector.broadcast(F, a[a0]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c02 = x0.fma(b2, c02);
            c03 = x0.fma(b3, c03);
            FloatVector x1 = FloatVector.broadcast(F, a[a1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            c12 = x1.fma(b2, c12);
            c13 = x1.fma(b3, c13);
            FloatVector x2 = FloatVector.broadcast(F, a[a2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            c22 = x2.fma(b2, c22);
            c23 = x2.fma(b3, c23);
            FloatVector x3 = FloatVector.broadcast(F, a[a3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            c32 = x3.fma(b2, c32);
            c33 = x3.fma(b3, c33);
            FloatVector x4 = FloatVector.broadcast(F, a[a4]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            c42 = x4.fma(b2, c42);
            c43 = x4.fma(b3, c43);
            FloatVector x5 = FloatVector.broadcast(F, a[a5]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            c52 = x5.fma(b2, c52);
            c53 = x5.fma(b3, c53);
            a0 += aColStride; a1 += aColStride; a2 += aColStride; a3 += aColStride; a4 += aColStride; a5 += aColStride;
        }
        int s0 = cIdx;
        c00.intoArray(c, s0);
        c01.intoArray(c, s0 + L);
        c02.intoArray(c, s0 + 2 * L);
        c03.intoArray(c, s0 + 3 * L);
        int s1 = cIdx + cRowStride;
        c10.intoArray(c, s1);
        c11.intoArray(c, s1 + L);
        c12.intoArray(c, s1 + 2 * L);
        c13.intoArray(c, s1 + 3 * L);
        int s2 = cIdx + 2 * cRowStride;
        c20.intoArray(c, s2);
        c21.intoArray(c, s2 + L);
        c22.intoArray(c, s2 + 2 * L);
        c23.intoArray(c, s2 + 3 * L);
        int s3 = cIdx + 3 * cRowStride;
        c30.intoArray(c, s3);
        c31.intoArray(c, s3 + L);
        c32.intoArray(c, s3 + 2 * L);
        c33.intoArray(c, s3 + 3 * L);
        int s4 = cIdx + 4 * cRowStride;
        c40.intoArray(c, s4);
        c41.intoArray(c, s4 + L);
        c42.intoArray(c, s4 + 2 * L);
        c43.intoArray(c, s4 + 3 * L);
        int s5 = cIdx + 5 * cRowStride;
        c50.intoArray(c, s5);
        c51.intoArray(c, s5 + L);
        c52.intoArray(c, s5 + 2 * L);
        c53.intoArray(c, s5 + 3 * L);
    }
}
