package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Both GELU forms against float64 references built on a high-precision erf. */
final class GeluTest {

    private static final double TOLERANCE = 1e-6;

    @Test
    void theReferenceErfIsRight() {
        // Known values (Abramowitz & Stegun table 7.1 / DLMF), so the reference itself is checked.
        assertEquals(0.0, Erf.erf(0), 0);
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Erf.erf(1), 1e-15);
        assertEquals(-0.9953222650189527, Erf.erf(-2), 1e-15);
        assertEquals(0.9999779095030014, Erf.erf(3), 1e-15);
        assertEquals(0.9999999845827421, Erf.erf(4), 1e-15);
    }

    @Test
    void geluMatchesFloat64() {
        // 1001 points on [-8, 8]: the contiguous run reaches both the vector body and the scalar tail.
        int n = 1001;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -8f + 16f * i / (n - 1);
        }
        Tensor x = Tensor.of(xs);
        float[] exact = x.gelu().toArray();
        float[] approx = x.geluTanh().toArray();
        for (int i = 0; i < n; i++) {
            double v = xs[i];
            double refExact = 0.5 * v * (1 + Erf.erf(v / Math.sqrt(2)));
            double refTanh = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            assertEquals(refExact, exact[i], TOLERANCE, "gelu(" + v + ")");
            assertEquals(refTanh, approx[i], TOLERANCE, "geluTanh(" + v + ")");
        }
    }

    @Test
    void geluDerivativesMatchFloat64() {
        int n = 203;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -6f + 12f * i / (n - 1);
        }
        Tensor x = Tensor.of(xs);
        float[] d = x.map(io.github.gptfromscratch.tensor.internal.kernels.UnaryOp.GELU_GRAD).toArray();
        float[] dt = x.map(io.github.gptfromscratch.tensor.internal.kernels.UnaryOp.GELU_TANH_GRAD).toArray();
        double c = Math.sqrt(2 / Math.PI);
        for (int i = 0; i < n; i++) {
            double v = xs[i];
            double ref = 0.5 * (1 + Erf.erf(v / Math.sqrt(2))) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
            double th = Math.tanh(c * (v + 0.044715 * v * v * v));
            double refT = 0.5 * (1 + th) + 0.5 * v * (1 - th * th) * c * (1 + 3 * 0.044715 * v * v);
            assertEquals(ref, d[i], 2 * TOLERANCE, "gelu'(" + v + ")");
            assertEquals(refT, dt[i], 2 * TOLERANCE, "geluTanh'(" + v + ")");
        }
    }
}
