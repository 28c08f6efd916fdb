package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** multinomial draws with the given frequencies, never picks a zero weight, and rejects bad rows. */
final class MultinomialTest {

    private static final long SEED = 20240611L;

    @Test
    void frequenciesMatchTheWeights() {
        assertFrequenciesMatchTheWeights(new Rng(SEED), false, "SplitMix64 seed=" + SEED);
    }

    @Test
    void bothPytorchAlgorithmsDrawTheRightFrequencies() {
        assertFrequenciesMatchTheWeights(Rng.pytorch(11), false, "Rng.pytorch(11), exponential race");
        assertFrequenciesMatchTheWeights(Rng.pytorch(11), true, "Rng.pytorch(11), replacement=True");
    }

    /** 20,000 draws from weights 1, 0, 2, 3, 0, 4: never a zero weight, and a chi² test at the 0.001 level. */
    private static void assertFrequenciesMatchTheWeights(Rng rng, boolean replacement, String what) {
        float[] w = {1, 0, 2, 3, 0, 4}; // not normalised; total 10
        int draws = 20_000;
        Tensor rows = Tensor.of(w).unsqueeze(0).expand(draws, w.length); // one draw per row, a stride-0 view
        int[] picks = rows.multinomial(rng, replacement).data();
        assertEquals(draws, picks.length);
        int[] counts = new int[w.length];
        for (int p : picks) {
            counts[p]++;
        }
        double chi2 = 0;
        for (int i = 0; i < w.length; i++) {
            double expected = draws * w[i] / 10.0;
            if (w[i] == 0) {
                assertEquals(0, counts[i], "a zero weight was drawn, " + what);
            } else {
                chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
        }
        // 3 degrees of freedom: P(chi² > 16.27) = 0.001.
        assertTrue(chi2 < 16.27, "chi² = " + chi2 + " counts " + java.util.Arrays.toString(counts) + ", " + what);
    }

    @Test
    void oneDrawPerRowWithTheLeadingShape() {
        Tensor p = Tensor.zeros(2, 3, 5);
        p.select(2, 4).fill(1f); // every row puts all mass on index 4
        IntTensor picks = p.multinomial(new Rng(SEED));
        assertArrayEquals(new int[] {2, 3}, picks.shape());
        for (int v : picks.data()) {
            assertEquals(4, v);
        }
        assertEquals(0, Tensor.of(new float[] {0, 0, 0.5f}).multinomial(new Rng(SEED)).dim());
        assertEquals(2, Tensor.of(new float[] {0, 0, 0.5f}).multinomial(new Rng(SEED)).data()[0]);
    }

    @Test
    void badRowsAreRejected() {
        Rng rng = new Rng(SEED);
        for (float bad : new float[] {-1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Tensor.of(new float[] {1, 1, 1, bad, 0, 1}, 2, 3).multinomial(rng));
            assertTrue(e.getMessage().startsWith("multinomial:") && e.getMessage().contains("row 1"), e.getMessage());
        }
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).multinomial(rng));
        assertTrue(zero.getMessage().contains("[2,3]") && zero.getMessage().contains("zero"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1f).multinomial(rng));
    }
}
