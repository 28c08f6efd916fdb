package io.github.gptfromscratch.tensor.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.gptfromscratch.tensor.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every Vector API micro-kernel, not only the ones this CPU picks, computes its tile as a float64
 * reference does: packed and unpacked (row- and column-major) A, B read with a padded row stride, C
 * overwritten or added to, and nothing written beside the tile.
 */
class MicroKernelProperties {

    private static final String[] TILES = {"4x2", "6x2", "6x4", "8x2"};

    @Property(tries = 120)
    void everyTileMatchesFloat64Reference(@ForAll @IntRange(min = 0, max = 3) int tile,
                                          @ForAll @IntRange(min = 0, max = 70) int kc,
                                          @ForAll @IntRange(min = 0, max = 2) int aLayout,
                                          @ForAll boolean addToC, @ForAll long seed) {
        // Also in the run that forces the scalar kernels (-Dgptfs.vector=false): the module is still there.
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return; // nothing to test without the Vector API; the build adds the module to every test JVM
        }
        GemmMicroKernel kernel = new PanamaGemmKernels().choose(TILES[tile]);
        int mr = kernel.rows();
        int nr = kernel.cols();
        Rng rng = new Rng(seed);
        // A: packed (strides 1, MR), row-major (lda, 1) or column-major (1, lda), each with padding.
        int lda = aLayout == 1 ? kc + 3 : mr + 2;
        int aRowStride = aLayout == 0 ? 1 : aLayout == 1 ? lda : 1;
        int aColStride = aLayout == 0 ? mr : aLayout == 1 ? 1 : lda;
        int aOff = 5;
        float[] a = random(rng, aOff + (mr - 1) * aRowStride + Math.max(kc - 1, 0) * aColStride + 1);
        int bRowStride = nr + 7;
        int bOff = 3;
        float[] b = random(rng, bOff + kc * bRowStride + nr);
        int cRowStride = nr + 5;
        int cOff = 2;
        float[] c = random(rng, cOff + mr * cRowStride + 4);
        float[] before = c.clone();
        kernel.multiply(kc, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, c, cOff, cRowStride, addToC);
        String what = TILES[tile] + " kc=" + kc + " aLayout=" + aLayout + " addToC=" + addToC + " seed=" + seed;
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - cOff;
            int i = Math.floorDiv(rel, cRowStride);
            int j = rel - i * cRowStride;
            if (rel < 0 || i >= mr || j >= nr) {
                assertEquals(before[idx], c[idx], 0f, what + ": wrote outside the tile at " + idx);
                continue;
            }
            double expected = addToC ? before[idx] : 0;
            for (int p = 0; p < kc; p++) {
                expected += (double) a[aOff + i * aRowStride + p * aColStride] * b[bOff + p * bRowStride + j];
            }
            assertEquals(expected, c[idx], 1e-5 * Math.max(1, Math.abs(expected)) + 1e-5 * kc,
                    what + ": C[" + i + "][" + j + "]");
        }
    }

    private static float[] random(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
