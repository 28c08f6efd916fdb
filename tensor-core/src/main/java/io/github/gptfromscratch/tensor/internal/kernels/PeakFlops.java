package io.github.gptfromscratch.tensor.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float32 multiply-add limit as Java can reach it: many independent chains of vector
 * fused multiply-adds on the preferred vector size, with no loads or stores, so nothing but the FMA
 * units and their latency bounds the loop. Benchmarks compare matmul throughput with this figure.
 *
 * <pre>{@code
 * long flops = PeakFlops.flopsPerCall(iterations);
 * float sink = PeakFlops.fmaChains(iterations, 1.0000001f);
 * }</pre>
 */
public final class PeakFlops {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Independent chains: enough to cover the FMA latency (4 cycles) on two FMA pipes, and then some. */
    private static final int CHAINS = 12;

    private PeakFlops() {
    }

    /** The vector width the chains run on, in bits. */
    public static int vectorBits() {
        return F.vectorBitSize();
    }

    /** Floating-point operations that {@link #fmaChains(long, float)} performs (an FMA counts two). */
    public static long flopsPerCall(long iterations) {
        return iterations * CHAINS * F.length() * 2L;
    }

    /**
     * Runs {@code iterations} steps of {@value #CHAINS} independent {@code x = x·scale + bias} chains and
     * returns a value that depends on all of them, so the work cannot be dropped as dead code.
     */
    public static float fmaChains(long iterations, float scale) {
        FloatVector s = FloatVector.broadcast(F, scale);
        FloatVector bias = FloatVector.broadcast(F, 1e-7f);
        FloatVector x0 = FloatVector.broadcast(F, 0.10f);
        FloatVector x1 = FloatVector.broadcast(F, 0.11f);
        FloatVector x2 = FloatVector.broadcast(F, 0.12f);
        FloatVector x3 = FloatVector.broadcast(F, 0.13f);
        FloatVector x4 = FloatVector.broadcast(F, 0.14f);
        FloatVector x5 = FloatVector.broadcast(F, 0.15f);
        FloatVector x6 = FloatVector.broadcast(F, 0.16f);
        FloatVector x7 = FloatVector.broadcast(F, 0.17f);
        FloatVector x8 = FloatVector.broadcast(F, 0.18f);
        FloatVector x9 = FloatVector.broadcast(F, 0.19f);
        FloatVector x10 = FloatVector.broadcast(F, 0.20f);
        FloatVector x11 = FloatVector.broadcast(F, 0.21f);
        for (long i = 0; i < iterations; i++) {
            x0 = x0.fma(s, bias);
            x1 = x1.fma(s, bias);
            x2 = x2.fma(s, bias);
            x3 = x3.fma(s, bias);
            x4 = x4.fma(s, bias);
            x5 = x5.fma(s, bias);
            x6 = x6.fma(s, bias);
            x7 = x7.fma(s, bias);
            x8 = x8.fma(s, bias);
            x9 = x9.fma(s, bias);
            x10 = x10.fma(s, bias);
            x11 = x11.fma(s, bias);
        }
        FloatVector sum = x0.add(x1).add(x2.add(x3)).add(x4.add(x5).add(x6.add(x7))).add(x8.add(x9).add(x10.add(x11)));
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
