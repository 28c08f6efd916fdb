package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/**
 * Random shapes and random views for the property tests, and float64 references read element by
 * element through {@link Tensor#get} (which uses the strides directly, so the reference never goes
 * through the copy code under test).
 */
final class Fixtures {

    /** Sizes 1, primes and sizes around the vector widths (8 and 16 floats), so kernels hit their tails. */
    static final int[] SIZES = {1, 1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 16, 17, 31, 33};

    private Fixtures() {
    }

    /** A shape of rank {@code 0..maxRank} whose element count stays at or under {@code maxNumel}. */
    static int[] randomShape(Rng rng, int minRank, int maxRank, int maxNumel) {
        int rank = minRank + rng.nextInt(maxRank - minRank + 1);
        int[] shape = new int[rank];
        long numel = 1;
        for (int i = 0; i < rank; i++) {
            int s = SIZES[rng.nextInt(SIZES.length)];
            while (numel * s > maxNumel && s > 1) {
                s /= 2;
            }
            shape[i] = s;
            numel *= s;
        }
        return shape;
    }

    /**
     * A tensor of the given shape with standard-normal values whose layout is drawn at random: a
     * window of a larger buffer (a non-zero offset and gaps between rows), its axes stored in a random
     * order (so strides are not descending) and, when {@code broadcast}, some size-1-sourced axes
     * expanded with stride 0.
     */
    static Tensor randomView(Rng rng, int[] shape, boolean broadcast) {
        int rank = shape.length;
        if (rank == 0 || rng.nextInt(6) == 0) {
            return Tensor.randn(rng, shape);
        }
        int[] perm = randomPermutation(rng, rank);
        int[] baseShape = new int[rank];
        for (int j = 0; j < rank; j++) {
            baseShape[j] = shape[perm[j]] + rng.nextInt(3);
        }
        Tensor v = Tensor.randn(rng, baseShape);
        for (int j = 0; j < rank; j++) {
            int size = shape[perm[j]];
            int start = rng.nextInt(baseShape[j] - size + 1);
            v = v.slice(j, start, start + size);
        }
        int[] inverse = new int[rank];
        for (int j = 0; j < rank; j++) {
            inverse[perm[j]] = j;
        }
        v = v.permute(inverse);
        if (broadcast) {
            for (int i = 0; i < rank; i++) {
                if (shape[i] > 1 && rng.nextInt(4) == 0) {
                    v = v.slice(i, 0, 1).expand(shape);
                }
            }
        }
        return v;
    }

    static int[] randomPermutation(Rng rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The multi-index of row-major position {@code flat}. */
    static int[] unflatten(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    /** The values in row-major order, in double, read one by one through the strides. */
    static double[] values(Tensor t) {
        int[] shape = t.shape();
        double[] out = new double[t.numel()];
        for (int f = 0; f < out.length; f++) {
            out[f] = t.get(unflatten(f, shape));
        }
        return out;
    }

    /**
     * Checks shape and values: {@code |actual − expected| ≤ abs + rel·|expected|}; NaN must meet NaN
     * and an infinity the same infinity.
     */
    static void assertClose(String what, int[] expectedShape, double[] expected, Tensor actual, double rel, double abs) {
        if (!Arrays.equals(expectedShape, actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expectedShape));
        }
        double[] got = values(actual);
        for (int i = 0; i < expected.length; i++) {
            if (!close(expected[i], got[i], rel, abs)) {
                fail(what + ": element " + Arrays.toString(unflatten(i, expectedShape)) + " is " + got[i]
                        + ", expected " + expected[i] + " (shape " + Arrays.toString(expectedShape) + ")");
            }
        }
    }

    /** Two tensors hold the same values within the tolerance (shapes included). */
    static void assertClose(String what, Tensor expected, Tensor actual, double rel, double abs) {
        assertClose(what, expected.shape(), values(expected), actual, rel, abs);
    }

    static boolean close(double expected, double actual, double rel, double abs) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return Math.abs(actual - expected) <= abs + rel * Math.abs(expected);
    }
}
