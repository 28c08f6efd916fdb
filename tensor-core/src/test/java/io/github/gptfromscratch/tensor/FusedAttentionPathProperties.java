package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.FusedAttention.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Both fused attention paths, forced on the same inputs, agree with a float64 reference, forward and
 * backward, and with each other when the backward pass of one follows the forward pass of the other
 * (they share the log-sum-exp). Key counts cross {@link FusedAttention#SMALL_MAX_KEYS} and are rarely
 * multiples of the blocks, the runs or a vector; k and v are strided views of one projection.
 */
final class FusedAttentionPathProperties {

    /**
     * Relative error bound, taken relative to the sums of absolute terms behind each element (as
     * {@link MatmulProperties} does): a gradient can cancel to exactly zero in float64 (a query that sees
     * one key has dq = 0) where float32 leaves rounding residue.
     */
    private static final double REL = 1e-5;

    @Property(tries = 80)
    void bothPathsAgreeWithFloat64(@ForAll @IntRange(min = 1, max = 2) int batch,
                                   @ForAll @IntRange(min = 1, max = 3) int heads,
                                   @ForAll @IntRange(min = 1, max = 150) int tk, @ForAll @IntRange(min = 1, max = 40) int d,
                                   @ForAll @IntRange(min = 0, max = 150) int cut, @ForAll long seed) {
        int tq = Math.max(1, tk - cut);
        Rng rng = new Rng(seed);
        Tensor kv = Tensor.randn(rng, batch, tk, 2 * heads * d);
        Tensor q = Tensor.randn(rng, batch, heads, tq, d);
        Tensor k = kv.slice(2, 0, heads * d).reshape(batch, tk, heads, d).transpose(1, 2);
        Tensor v = kv.slice(2, heads * d, 2 * heads * d).reshape(batch, tk, heads, d).transpose(1, 2);
        Tensor dy = Tensor.randn(rng, batch, heads, tq, d);
        double[][] expected = reference(q.toArray(), k.toArray(), v.toArray(), dy.toArray(), batch * heads, tq, tk, d);
        String where = " (B=" + batch + " H=" + heads + " Tq=" + tq + " Tk=" + tk + " d=" + d + " seed=" + seed + ")";

        for (Path forwardPath : Path.values()) {
            FusedAttention.Forward f = FusedAttention.forward(q, k, v, forwardPath);
            check("output, " + forwardPath + where, expected[0], expected[4], f.output());
            for (Path backwardPath : Path.values()) {
                FusedAttention.Gradients g = FusedAttention.backward(q, k, v, f, dy, backwardPath);
                String how = ", forward " + forwardPath + " backward " + backwardPath + where;
                check("dq" + how, expected[1], expected[5], g.dq());
                check("dk" + how, expected[2], expected[6], g.dk());
                check("dv" + how, expected[3], expected[7], g.dv());
            }
        }
    }

    /**
     * Output, dq, dk and dv of causal attention in float64, one (batch, head) pair after another, then
     * the same four sums taken over absolute values of their terms.
     */
    private static double[][] reference(float[] q, float[] k, float[] v, float[] dy, int pairs, int tq, int tk, int d) {
        double[] out = new double[pairs * tq * d];
        double[] dq = new double[pairs * tq * d];
        double[] dk = new double[pairs * tk * d];
        double[] dv = new double[pairs * tk * d];
        double[][] magnitude = {new double[out.length], new double[dq.length], new double[dk.length], new double[dv.length]};
        double scale = 1 / Math.sqrt(d);
        int shift = tk - tq;
        for (int h = 0; h < pairs; h++) {
            int qo = h * tq * d;
            int ko = h * tk * d;
            for (int i = 0; i < tq; i++) {
                int visible = i + shift + 1;
                double[] p = new double[visible];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    for (int c = 0; c < d; c++) {
                        p[j] += (double) q[qo + i * d + c] * k[ko + j * d + c] * scale;
                    }
                    max = Math.max(max, p[j]);
                }
                double sum = 0;
                for (int j = 0; j < visible; j++) {
                    p[j] = Math.exp(p[j] - max);
                    sum += p[j];
                }
                double[] dp = new double[visible];
                double rowDot = 0;
                for (int j = 0; j < visible; j++) {
                    p[j] /= sum;
                    for (int c = 0; c < d; c++) {
                        out[qo + i * d + c] += p[j] * v[ko + j * d + c];
                        magnitude[0][qo + i * d + c] += p[j] * Math.abs(v[ko + j * d + c]);
                        dp[j] += (double) dy[qo + i * d + c] * v[ko + j * d + c];
                    }
                    rowDot += p[j] * dp[j];
                }
                for (int j = 0; j < visible; j++) {
                    double ds = p[j] * (dp[j] - rowDot) * scale;
                    double dsMagnitude = p[j] * (Math.abs(dp[j]) + Math.abs(rowDot)) * scale;
                    for (int c = 0; c < d; c++) {
                        dq[qo + i * d + c] += ds * k[ko + j * d + c];
                        dk[ko + j * d + c] += ds * q[qo + i * d + c];
                        dv[ko + j * d + c] += p[j] * dy[qo + i * d + c];
                        magnitude[1][qo + i * d + c] += dsMagnitude * Math.abs(k[ko + j * d + c]);
                        magnitude[2][ko + j * d + c] += dsMagnitude * Math.abs(q[qo + i * d + c]);
                        magnitude[3][ko + j * d + c] += p[j] * Math.abs(dy[qo + i * d + c]);
                    }
                }
            }
        }
        return new double[][] {out, dq, dk, dv, magnitude[0], magnitude[1], magnitude[2], magnitude[3]};
    }

    /** The error in the 2-norm relative to that of the magnitudes of the terms. */
    private static void check(String what, double[] expected, double[] magnitude, Tensor actual) {
        float[] a = actual.toArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - a[i]) * (expected[i] - a[i]);
            norm += magnitude[i] * magnitude[i];
        }
        double err = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
        assertTrue(err < REL, what + ": relative error " + err);
    }
}
