package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Known answers for softmax, variance and argmax, including the awkward values. */
final class SoftmaxAndReductionTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void softmaxOfLargeValuesDoesNotOverflow() {
        Tensor x = Tensor.of(new float[] {1e4f, 1e4f - 1, 1e4f - 2, -1e4f});
        float[] p = x.softmax(0).toArray();
        double z = 1 + Math.exp(-1) + Math.exp(-2);
        assertEquals(1 / z, p[0], 1e-6);
        assertEquals(Math.exp(-1) / z, p[1], 1e-6);
        assertEquals(Math.exp(-2) / z, p[2], 1e-6);
        assertEquals(0f, p[3]);
        float[] lp = x.logSoftmax(0).toArray();
        assertEquals(-Math.log(z), lp[0], 1e-5);
        assertEquals(-2e4 - Math.log(z), lp[3], 1e-2);
    }

    @Test
    void negativeInfinityGetsProbabilityZero() {
        // 17 entries: the vector kernels' tail sees -inf too.
        float[] v = new float[17];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 3 == 0 ? NEG_INF : i * 0.1f;
        }
        Tensor x = Tensor.of(v, 1, 17);
        float[] p = x.softmax(-1).toArray();
        float[] lp = x.logSoftmax(-1).toArray();
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == NEG_INF) {
                assertEquals(0f, p[i], "p[" + i + "]");
                assertEquals(NEG_INF, lp[i], "logp[" + i + "]");
            } else {
                assertEquals(Math.log(p[i]), lp[i], 1e-5, "log-softmax agrees with log(softmax) at " + i);
            }
            sum += p[i];
        }
        assertEquals(1.0, sum, 1e-6);
        // A masked (causal) row of all -inf but one: all mass on the one.
        assertArrayEquals(new float[] {1, 0, 0}, Tensor.of(new float[] {3, NEG_INF, NEG_INF}).softmax(0).toArray());
        // A row of only -inf has no distribution.
        assertTrue(Float.isNaN(Tensor.of(new float[] {NEG_INF, NEG_INF}).softmax(0).get(0)));
    }

    @Test
    void softmaxAlongTheFirstAxisOfAMatrix() {
        Tensor x = Tensor.of(new float[] {0, 1, 0, 1}, 2, 2); // columns [0,0] and [1,1]
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, x.softmax(0).toArray());
        float e = (float) (1 / (1 + Math.exp(-1)));
        assertArrayEquals(new float[] {1 - e, e, 1 - e, e}, x.softmax(1).toArray(), 1e-6f);
    }

    @Test
    void varianceBiasedAndUnbiased() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 2, 4, 6, 8}, 2, 4);
        // Row 0: mean 2.5, squared deviations 2.25+0.25+0.25+2.25 = 5; row 1: four times that.
        assertArrayEquals(new float[] {5f / 3, 20f / 3}, x.variance(new int[] {1}, true, false).toArray(), 1e-6f);
        assertArrayEquals(new float[] {1.25f, 5f}, x.variance(new int[] {-1}, false, false).toArray(), 1e-6f);
        assertArrayEquals(new int[] {2, 1}, x.variance(new int[] {1}, true, true).shape());
        // All elements: mean 3.75, Σ(x−mean)² = 37.5.
        assertEquals(37.5f / 7, x.variance(new int[0], true, false).item(), 1e-5f);
        assertEquals(37.5f / 8, x.variance(new int[0], false, false).item(), 1e-5f);
        assertEquals(0, x.variance(new int[0], false, false).dim());
        assertArrayEquals(new float[] {0.25f, 1, 2.25f, 4}, x.variance(new int[] {0}, false, false).toArray(), 1e-6f);
    }

    @Test
    void argmaxTiesPickTheFirst() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 0, 5, 5, 5, 5, -1, -1, -2, -1}, 3, 4);
        assertArrayEquals(new int[] {1, 0, 0}, x.argmax(1, false).data());
        assertArrayEquals(new int[] {3, 1}, x.argmax(1, true).shape());
        assertArrayEquals(new int[] {1, 1, 1, 1}, x.argmax(0, false).data());
        assertArrayEquals(new int[] {1, 0, 0}, x.t().argmax(0, false).data());
        Tensor withNaN = Tensor.of(new float[] {1, Float.NaN, 7});
        assertEquals(1, withNaN.argmax(0, false).data()[0], "NaN counts as the maximum");
    }

    @Test
    void sumMeanMaxMinKnownAnswers() {
        Tensor x = Tensor.of(new float[] {1, -2, 3, 4, 5, -6}, 2, 3);
        assertEquals(5f, x.sum().item());
        assertEquals(5f / 6, x.mean().item(), 1e-7f);
        assertArrayEquals(new float[] {5, 3, -3}, x.sum(0, false).toArray());
        assertArrayEquals(new float[] {2, 3}, x.sum(-1, false).toArray());
        assertArrayEquals(new float[] {2f / 3, 1}, x.mean(new int[] {1}, false).toArray(), 1e-7f);
        assertArrayEquals(new float[] {3, 5}, x.max(1, false).toArray());
        assertArrayEquals(new float[] {-2, -6}, x.min(1, false).toArray());
        assertEquals(5f, x.max().item());
        assertEquals(-6f, x.min().item());
        assertEquals(0f, Tensor.zeros(0, 3).sum().item());
        assertArrayEquals(new int[] {1, 3}, x.sum(0, true).shape());
        assertArrayEquals(new int[] {1, 1}, x.sum(new int[0], true).shape());
    }
}
