package io.github.gptfromscratch.tensor.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.gptfromscratch.tensor.Parallel;
import io.github.gptfromscratch.tensor.Rng;
import java.util.Arrays;
import java.util.function.Supplier;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;

/**
 * {@link Gemm} agrees with a float64 reference over random shapes (zero, one, primes, sizes that are not
 * multiples of the tile, several k blocks), strides (all four transpose combinations, padded rows),
 * offsets into larger arrays and both accumulate modes; and it writes nothing outside C. A with a unit
 * stride is read in place, operands spaced by two are packed, tall products take the C-resident order; n
 * that a narrower tile covers with less padding (up to 32, or 257 to 288, with AVX-512) runs on that tile.
 * Each failure message names the shape, the flags and the data seed.
 */
class GemmProperties {

    /** Marks storage that is not part of any operand, so a stray write shows. */
    private static final float SENTINEL = -1234.5f;
    private static final double TOLERANCE = 1e-5;

    /** Once failed: a strided 1×1 product of 55 terms that cancel, summed in float (2e-5 off). */
    @Example
    void cancellingStridedDotProductMatchesFloat64Reference() {
        productMatchesFloat64Reference(1, 1, 55, true, false, true, 2L);
        productMatchesFloat64Reference(1, 1, 220, true, false, true, 2L);
    }

    @Property(tries = 150)
    void productMatchesFloat64Reference(@ForAll @IntRange(min = 0, max = 300) int m,
                                        @ForAll @IntRange(min = 0, max = 300) int n,
                                        @ForAll @IntRange(min = 0, max = 300) int k,
                                        @ForAll boolean transposeA, @ForAll boolean transposeB,
                                        @ForAll boolean accumulate, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Operand a = Operand.random(rng, m, k, transposeA);
        Operand b = Operand.random(rng, k, n, transposeB);
        Output c = Output.random(rng, 1, m, n);
        String what = "sgemm m=" + m + " n=" + n + " k=" + k + " transposeA=" + transposeA + " transposeB="
                + transposeB + " accumulate=" + accumulate + " seed=" + seed + " kernel=" + Gemm.kernelName(n);
        float[] before = c.data.clone();
        sgemm(m, n, k, a, b, c.data, c.offsets[0], c.rowStride, accumulate);
        c.check(what, before, 0, a, 0, b, 0, k, accumulate);
        c.checkUntouchedOutside(what, before, 1);
    }

    /**
     * Outside the small direct path, every element of C is one chain of multiply-adds over p in order
     * (fused with the Vector API kernels, as Math.fma; a product then a sum in the scalar ones), starting
     * from C when accumulating: bit for bit, whatever tile, sliver or k block the element falls in. So a
     * model's numbers do not change with the tile a CPU picks or with where the tile edges fall.
     */
    @Property(tries = 80)
    void everyElementIsTheSameChainWhereverTheTileEdgesFall(@ForAll @IntRange(min = 9, max = 140) int m,
                                                           @ForAll @IntRange(min = 9, max = 300) int n,
                                                           @ForAll @IntRange(min = 30, max = 600) int k,
                                                           @ForAll boolean transposeA, @ForAll boolean transposeB,
                                                           @ForAll boolean accumulate, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Operand a = Operand.random(rng, m, k, transposeA);
        Operand b = Operand.random(rng, k, n, transposeB);
        Output c = Output.random(rng, 1, m, n);
        float[] before = c.data.clone();
        sgemm(m, n, k, a, b, c.data, c.offsets[0], c.rowStride, accumulate);
        boolean fused = KernelProvider.vectorized();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = c.offsets[0] + i * c.rowStride + j;
                float chain = accumulate ? before[at] : 0f;
                for (int p = 0; p < k; p++) {
                    float x = a.data[a.offsets[0] + i * a.rowStride + p * a.colStride];
                    float y = b.data[b.offsets[0] + p * b.rowStride + j * b.colStride];
                    chain = fused ? Math.fma(x, y, chain) : chain + x * y;
                }
                if (Float.floatToIntBits(chain) != Float.floatToIntBits(c.data[at])) {
                    fail("m=" + m + " n=" + n + " k=" + k + " transposeA=" + transposeA + " transposeB=" + transposeB
                            + " accumulate=" + accumulate + " seed=" + seed + " kernel=" + Gemm.kernelName(n) + ": C[" + i
                            + "][" + j + "] = " + c.data[at] + ", the chain gives " + chain);
                }
            }
        }
    }

    /**
     * Operands with no unit stride (every other column of a wider matrix): A cannot be read in place, so
     * it is packed, and B goes through the general packing loop.
     */
    @Property(tries = 40)
    void productOfOperandsWithoutAUnitStrideMatchesFloat64Reference(@ForAll @IntRange(min = 1, max = 200) int m,
                                                                     @ForAll @IntRange(min = 1, max = 200) int n,
                                                                     @ForAll @IntRange(min = 1, max = 300) int k,
                                                                     @ForAll boolean transposeA,
                                                                     @ForAll boolean transposeB,
                                                                     @ForAll boolean accumulate, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Operand a = Operand.spaced(rng, m, k, transposeA);
        Operand b = Operand.spaced(rng, k, n, transposeB);
        Output c = Output.random(rng, 1, m, n);
        String what = "sgemm of spaced operands m=" + m + " n=" + n + " k=" + k + " transposeA=" + transposeA
                + " transposeB=" + transposeB + " accumulate=" + accumulate + " seed=" + seed;
        float[] before = c.data.clone();
        sgemm(m, n, k, a, b, c.data, c.offsets[0], c.rowStride, accumulate);
        c.check(what, before, 0, a, 0, b, 0, k, accumulate);
        c.checkUntouchedOutside(what, before, 1);
    }

    @Property(tries = 60)
    void batchedProductsMatchFloat64Reference(@ForAll @IntRange(min = 0, max = 6) int batch,
                                              @ForAll @IntRange(min = 0, max = 130) int m,
                                              @ForAll @IntRange(min = 0, max = 130) int n,
                                              @ForAll @IntRange(min = 0, max = 130) int k,
                                              @ForAll boolean transposeA, @ForAll boolean transposeB,
                                              @ForAll boolean accumulate, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Operand a = Operand.randomBatch(rng, batch, m, k, transposeA);
        Operand b = Operand.randomBatch(rng, batch, k, n, transposeB);
        Output c = Output.random(rng, batch, m, n);
        String what = "sgemmBatched batch=" + batch + " m=" + m + " n=" + n + " k=" + k + " transposeA="
                + transposeA + " transposeB=" + transposeB + " accumulate=" + accumulate + " seed=" + seed;
        float[] before = c.data.clone();
        Gemm.sgemmBatched(batch, m, n, k, a.data, a.offsets, a.rowStride, a.colStride, b.data, b.offsets,
                b.rowStride, b.colStride, c.data, c.offsets, c.rowStride, accumulate);
        for (int t = 0; t < batch; t++) {
            c.check(what + " product=" + t, before, t, a, t, b, t, k, accumulate);
        }
        c.checkUntouchedOutside(what, before, batch);
    }

    @Example
    void wideProductCrossesTheColumnBlock() {
        // n > NC exercises the outer column loop; k > KC the depth blocks; m of 2 panels the column split.
        productMatchesFloat64Reference(7, Gemm.NC + 45, Gemm.KC + 33, false, true, true, 77L);
        productMatchesFloat64Reference(131, Gemm.NC + 3, 19, true, false, false, 78L);
    }

    @Example
    void tallProductsThatKeepCInL2MatchTheReferenceAndTheChain() {
        // At least three times as many rows as columns and more than one k block: one thread takes the
        // C-resident order (on two, each row slab would have too few rows for it); the second shape has more
        // columns than one chunk of it and a short last k block, the last ones operands with no unit stride.
        int wide = Gemm.C_RESIDENT_COLUMNS + 37;
        runWithThreads(1, () -> {
            productMatchesFloat64Reference(700, 70, 300, false, false, false, 5L);
            productMatchesFloat64Reference(3 * wide, wide, Gemm.KC + 11, true, true, true, 6L);
            everyElementIsTheSameChainWhereverTheTileEdgesFall(500, 150, 2 * Gemm.KC + 5, false, true, true, 7L);
            everyElementIsTheSameChainWhereverTheTileEdgesFall(400, 20, 3 * Gemm.KC - 1, true, false, false, 8L);
            productOfOperandsWithoutAUnitStrideMatchesFloat64Reference(600, 90, 2 * Gemm.KC + 7, false, true, true, 9L);
            productOfOperandsWithoutAUnitStrideMatchesFloat64Reference(450, 31, 300, true, false, false, 10L);
            return null;
        });
    }

    @Example
    void makemoreProductsRunOnTheNarrowTileWhereItPadsLess() {
        // The MLP's products with 27 classes and a 30-wide input, forward and backward, in all layouts.
        int[][] shapes = {{32, 27, 200}, {200, 27, 32}, {32, 30, 200}, {32, 200, 30}, {30, 200, 32}};
        for (int[] s : shapes) {
            for (int layout = 0; layout < 4; layout++) {
                productMatchesFloat64Reference(s[0], s[1], s[2], (layout & 1) != 0, (layout & 2) != 0, layout == 3,
                        91L + layout);
            }
        }
        if (KernelProvider.vectorized() && Gemm.kernelName().equals("PanamaGemmKernel6x4")) {
            String narrow = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
                    ? "PanamaGemmKernel8x2" : "PanamaGemmKernel6x2";
            assertEquals(narrow, Gemm.kernelName(27), "27 columns fill half of a 6x4 tile");
            assertEquals("PanamaGemmKernel6x4", Gemm.kernelName(128), "128 columns fill 6x4 tiles");
        } else {
            assertEquals(Gemm.kernelName(), Gemm.kernelName(27), "no narrower tile than " + Gemm.kernelName());
        }
    }

    @Example
    void oneAndTwoThreadsGiveIdenticalResults() {
        Assumptions.assumeTrue(Parallel.poolThreads() >= 2, "needs a pool of at least 2 threads");
        long seed = 20240611L;
        Rng rng = new Rng(seed);
        // Independent row slabs (more rows than columns: also the GPT shape; 900×100 tall enough for each
        // slab to keep C in L2, 700×200 in that order on one thread only), row slabs over the whole packed B
        // (also past NC columns), column slabs (few rows; a B too large to pack whole), and a C too small for
        // slabs (threads share one packed B).
        int[][] shapes = {{300, 257, 301}, {50, 2100, 48}, {768, 128, 64}, {200, 200, 200}, {13, 2000, 290},
                {100, 2100, 2100}, {40, 200, 1100}, {900, 100, 300}, {700, 200, 300}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            Operand a = Operand.random(rng, m, k, false);
            Operand b = Operand.random(rng, k, n, true);
            float[] one = runWithThreads(1, () -> multiplied(m, n, k, a, b));
            float[] two = runWithThreads(2, () -> multiplied(m, n, k, a, b));
            assertArrayEquals(one, two, "sgemm " + m + "x" + k + " @ " + k + "x" + n + " seed=" + seed
                    + ": 1 and 2 threads differ");
        }
        int batch = 48, m = 64, n = 64, k = 32;
        Operand a = Operand.randomBatch(rng, batch, m, k, false);
        Operand b = Operand.randomBatch(rng, batch, k, n, true);
        float[] one = runWithThreads(1, () -> batchMultiplied(batch, m, n, k, a, b));
        float[] two = runWithThreads(2, () -> batchMultiplied(batch, m, n, k, a, b));
        assertArrayEquals(one, two, "sgemmBatched 48 x 64x32 @ 32x64 seed=" + seed + ": 1 and 2 threads differ");
    }

    @Example
    void vectorKernelIsUsedExactlyWhenTheVectorPathIsActive() {
        assertEquals(KernelProvider.vectorized(), Gemm.kernelName().startsWith("PanamaGemmKernel"),
                "vectorized=" + KernelProvider.vectorized() + " kernel=" + Gemm.kernelName());
    }

    @Example
    void negativeDimensionsAreRejected() {
        float[] x = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(2, -1, 2, x, 0, 2, 1, x, 0, 2, 1, x, 0, 2, false));
        assertTrue(e.getMessage().contains("sgemm"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemmBatched(2, 1, 1, 1, x, new int[1], 1, 1,
                x, new int[2], 1, 1, x, new int[2], 1, false));
    }

    private static float[] multiplied(int m, int n, int k, Operand a, Operand b) {
        float[] c = new float[m * n];
        sgemm(m, n, k, a, b, c, 0, n, false);
        return c;
    }

    private static float[] batchMultiplied(int batch, int m, int n, int k, Operand a, Operand b) {
        float[] c = new float[batch * m * n];
        int[] cOffs = new int[batch];
        for (int t = 0; t < batch; t++) {
            cOffs[t] = t * m * n;
        }
        Gemm.sgemmBatched(batch, m, n, k, a.data, a.offsets, a.rowStride, a.colStride, b.data, b.offsets,
                b.rowStride, b.colStride, c, cOffs, n, false);
        return c;
    }

    private static float[] runWithThreads(int threads, Supplier<float[]> work) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            return work.get();
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** {@link Gemm#sgemm} on the first matrix of each operand. */
    private static void sgemm(int m, int n, int k, Operand a, Operand b, float[] c, int cOff, int cRowStride,
                              boolean accumulate) {
        Gemm.sgemm(m, n, k, a.data, a.offsets[0], a.rowStride, a.colStride, b.data, b.offsets[0], b.rowStride,
                b.colStride, c, cOff, cRowStride, accumulate);
    }

    private record Operand(float[] data, int[] offsets, int rowStride, int colStride) {

        static Operand random(Rng rng, int rows, int cols, boolean transposed) {
            return randomBatch(rng, 1, rows, cols, transposed);
        }

        /** Every other column (or row, when {@code transposed}) of a random matrix twice as wide: no unit stride. */
        static Operand spaced(Rng rng, int rows, int cols, boolean transposed) {
            Operand wide = randomBatch(rng, 1, transposed ? 2 * rows : rows, transposed ? cols : 2 * cols, transposed);
            return transposed ? new Operand(wide.data, wide.offsets, 2, wide.colStride)
                    : new Operand(wide.data, wide.offsets, wide.rowStride, 2);
        }

        /**
         * {@code count} rows×cols matrices in one padded array: stored row by row, or column by column when
         * {@code transposed}, with a padded leading dimension and a random gap before each matrix.
         */
        static Operand randomBatch(Rng rng, int count, int rows, int cols, boolean transposed) {
            int lead = (transposed ? rows : cols) + rng.nextInt(5);
            int span = (transposed ? cols : rows) * lead;
            int[] offsets = new int[count];
            int end = 0;
            for (int t = 0; t < count; t++) {
                offsets[t] = end + rng.nextInt(9);
                end = offsets[t] + span;
            }
            float[] data = new float[end + rng.nextInt(9)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) rng.nextGaussian();
            }
            return transposed ? new Operand(data, offsets, 1, lead) : new Operand(data, offsets, lead, 1);
        }

        double at(int t, int i, int j) {
            return data[offsets[t] + i * rowStride + j * colStride];
        }
    }

    /** {@code count} rows×cols results in one array filled with values inside C and a sentinel outside. */
    private record Output(float[] data, int[] offsets, int rowStride, int rows, int cols) {

        static Output random(Rng rng, int count, int rows, int cols) {
            int rowStride = cols + rng.nextInt(5);
            int[] offsets = new int[count];
            int end = 0;
            for (int t = 0; t < count; t++) {
                offsets[t] = end + rng.nextInt(9);
                end = offsets[t] + rows * rowStride;
            }
            float[] data = new float[end + rng.nextInt(9)];
            Arrays.fill(data, SENTINEL);
            for (int t = 0; t < count; t++) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        data[offsets[t] + i * rowStride + j] = (float) rng.nextGaussian();
                    }
                }
            }
            return new Output(data, offsets, rowStride, rows, cols);
        }

        /**
         * Product {@code t} against the float64 reference: norm-wise relative error, and each element
         * within the tolerance times its own scale {@code Σ|a||b| (+|c₀|)}.
         */
        void check(String what, float[] before, int t, Operand a, int ta, Operand b, int tb, int inner,
                   boolean accumulate) {
            double errorSquares = 0;
            double referenceSquares = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int idx = offsets[t] + i * rowStride + j;
                    double reference = accumulate ? before[idx] : 0;
                    double scale = Math.abs(reference);
                    for (int p = 0; p < inner; p++) {
                        double product = a.at(ta, i, p) * b.at(tb, p, j);
                        reference += product;
                        scale += Math.abs(product);
                    }
                    double error = data[idx] - reference;
                    if (Math.abs(error) > TOLERANCE * scale || Double.isNaN(data[idx])) {
                        fail(what + ": C[" + i + "," + j + "] = " + data[idx] + " but the float64 reference is "
                                + reference + " (scale " + scale + ")");
                    }
                    errorSquares += error * error;
                    referenceSquares += reference * reference;
                }
            }
            if (referenceSquares > 0) {
                double relative = Math.sqrt(errorSquares / referenceSquares);
                assertTrue(relative < TOLERANCE, what + ": ‖C − ref‖/‖ref‖ = " + relative);
            }
        }

        void checkUntouchedOutside(String what, float[] before, int count) {
            boolean[] inside = new boolean[data.length];
            for (int t = 0; t < count; t++) {
                for (int i = 0; i < rows; i++) {
                    Arrays.fill(inside, offsets[t] + i * rowStride, offsets[t] + i * rowStride + cols, true);
                }
            }
            for (int i = 0; i < data.length; i++) {
                if (!inside[i] && Float.compare(data[i], before[i]) != 0) {
                    fail(what + ": wrote " + data[i] + " at index " + i + ", outside every C");
                }
            }
        }
    }
}
