package io.github.gptfromscratch.tensor.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel with a tile of four rows by two vectors (4×16 floats with 256-bit
 * vectors): eight accumulators, which C2 on JDK 17 keeps in the sixteen AVX2 registers; used on JDK 17
 * when vectors are 256 bits, where it beat 6×2 on a Zen 1 (shared/perf-notes.md).
 *
 * <p>See docs/perf/matmul.md for the measurements behind the choice. Everything is written out and
 * nothing is called inside the loop: a helper call in the kernel is enough for C2 to stop inlining the
 * vector intrinsics. Each row of A has its own index, so the same loop reads packed micro-panels and
 * rows or columns of an unpacked A.
 */
public final class PanamaGemmKernel4x2 implements GemmMicroKernel {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final int MR = 4;
    private static final int NR = 2 * L;

    /** Loaded reflectively by {@link KernelProvider#select}. */
    public PanamaGemmKernel4x2() {
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
        FloatVector c00, c01, c10, c11;
        FloatVector c20, c21, c30, c31;
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
        } else {
            c00 = FloatVector.zero(F);
            c01 = c00; c10 = c00; c11 = c00; c20 = c00; c21 = c00; c30 = c00;
            c31 = c00;
        }
        int a0 = aIdx;
        int a1 = aIdx + aRowStride;
        int a2 = aIdx + 2 * aRowStride;
        int a3 = aIdx + 3 * aRowStride;
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
            a0 += aColStride; a1 += aColStride; a2 += aColStride; a3 += aColStride;
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
    }
}
