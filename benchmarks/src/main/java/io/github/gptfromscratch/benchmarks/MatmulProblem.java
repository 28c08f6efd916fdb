package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.tensor.Rng;

/**
 * One product for a benchmark: seeded random operands, an output, and the implementation that
 * computes it, checked against a float64 reference before any timing so that a wrong or silently
 * substituted implementation cannot post a figure.
 */
final class MatmulProblem {

    private static final long SEED = 42L;
    private static final int CHECKED_ENTRIES = 64;

    final int m;
    final int n;
    final int k;
    private final MatmulImpl impl;
    private final float[] a;
    private final float[] b;
    private final float[] c;

    MatmulProblem(String implName, int threads, int m, int n, int k) {
        this.impl = MatmulImpl.named(implName);
        this.m = m;
        this.n = n;
        this.k = k;
        Rng rng = new Rng(SEED);
        a = gaussian(rng, m * k);
        b = gaussian(rng, k * n);
        c = new float[m * n];
        impl.prepare(threads);
        verify(rng);
    }

    /** Parses "m×k×n" as written in the shape parameters, e.g. {@code 768x128x512}. */
    static MatmulProblem ofShape(String implName, int threads, String shape) {
        String[] dims = shape.split("x");
        if (dims.length != 3) {
            throw new IllegalArgumentException("shape '" + shape + "' is not m x k x n, e.g. 768x128x512");
        }
        return new MatmulProblem(implName, threads, Integer.parseInt(dims[0]), Integer.parseInt(dims[2]),
                Integer.parseInt(dims[1]));
    }

    /** Floating-point operations of one product, in units of 10⁹. */
    double gigaflop() {
        return 2.0 * m * n * k / 1e9;
    }

    /** Runs the product once and returns the output, for the benchmark to hand to JMH. */
    float[] multiply() {
        impl.multiply(m, n, k, a, b, c);
        return c;
    }

    private void verify(Rng rng) {
        multiply();
        for (int e = 0; e < CHECKED_ENTRIES; e++) {
            int i = rng.nextInt(m);
            int j = rng.nextInt(n);
            double reference = 0;
            double scale = 0;
            for (int p = 0; p < k; p++) {
                double product = (double) a[i * k + p] * b[p * n + j];
                reference += product;
                scale += Math.abs(product);
            }
            if (Math.abs(c[i * n + j] - reference) > 1e-5 * scale) {
                throw new IllegalStateException(impl + " " + m + "x" + k + " @ " + k + "x" + n + ": C[" + i + ","
                        + j + "] = " + c[i * n + j] + " but the float64 reference is " + reference);
            }
        }
    }

    private static float[] gaussian(Rng rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
