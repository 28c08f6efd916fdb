package io.github.gptfromscratch.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW's update against {@code torch.optim.AdamW}'s formula, evaluated in double precision by hand. */
class AdamWTest {

    /** torch.optim.AdamW on one scalar: p ← p·(1 − lr·wd), then the bias-corrected Adam step. */
    private static double[] reference(double p, double[] grads, double lr, double b1, double b2, double eps, double wd) {
        double m = 0;
        double v = 0;
        double[] after = new double[grads.length];
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            p *= 1 - lr * wd;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mHat = m / (1 - Math.pow(b1, t));
            double vHat = v / (1 - Math.pow(b2, t));
            p -= lr * mHat / (Math.sqrt(vHat) + eps);
            after[t - 1] = p;
        }
        return after;
    }

    private static void check(boolean decayVectors) {
        Var matrix = Var.parameter(Tensor.of(new float[] {0.5f, -1.25f}, 1, 2));
        Var vector = Var.parameter(Tensor.of(new float[] {2.0f}, 1));
        Map<String, Var> params = new LinkedHashMap<>();
        params.put("w", matrix);
        params.put("b", vector);
        double lr = 0.01;
        double wd = 0.1;
        AdamW opt = new AdamW(params, new AdamW.Config(0.9, 0.99, 1e-8, wd, decayVectors));
        double[][] grads = {{0.3, -0.7, 1.1}, {0.2, 0.4, -0.5}, {-2.0, 0.05, 0.6}};
        double[][] expected = {
                reference(0.5, grads[0], lr, 0.9, 0.99, 1e-8, wd),
                reference(-1.25, grads[1], lr, 0.9, 0.99, 1e-8, wd),
                reference(2.0, grads[2], lr, 0.9, 0.99, 1e-8, decayVectors ? wd : 0)};
        for (int step = 0; step < 3; step++) {
            opt.zeroGrad();
            // d/dp of Σ p·g is g
            Var gm = Var.constant(Tensor.of(new float[] {(float) grads[0][step], (float) grads[1][step]}, 1, 2));
            Var gv = Var.constant(Tensor.of(new float[] {(float) grads[2][step]}, 1));
            try (Tape tape = Tape.record()) {
                tape.backward(matrix.mul(gm).sum().add(vector.mul(gv).sum()));
            }
            opt.step(lr);
            String at = "step " + (step + 1) + ", decayVectors " + decayVectors;
            assertEquals(expected[0][step], matrix.value().get(0, 0), 1e-6, at);
            assertEquals(expected[1][step], matrix.value().get(0, 1), 1e-6, at);
            assertEquals(expected[2][step], vector.value().get(0), 1e-6, at);
        }
    }

    @Test
    void matchesTorchAdamWDecayingOnlyMatricesAsNanoGpt() {
        check(false);
    }

    @Test
    void matchesTorchAdamWDecayingEveryParameterAsMakemore() {
        check(true);
    }
}
