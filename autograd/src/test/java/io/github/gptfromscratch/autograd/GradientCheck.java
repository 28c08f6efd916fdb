package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Compares the tape's gradient of an operation with central finite differences.
 *
 * <p>The objective is L = Σ op(x) ⊙ R for a fixed random R, so every output element contributes with
 * its own weight (a plain sum would hide errors that cancel across elements). The engine computes in
 * float32; the objective is accumulated in float64 and each central difference divides by the step that
 * was actually taken after rounding x ± h to float, so the only errors left are the O(h²) truncation and
 * float32 rounding of the outputs. The comparison is norm-wise per input:
 * ‖analytic − numeric‖ / ‖numeric‖.
 */
final class GradientCheck {

    /** One input of the operation: a contiguous base tensor and how to view it (e.g. transposed). */
    record Input(Tensor base, UnaryOperator<Tensor> layout) {
        static Input of(Tensor base) {
            return new Input(base, UnaryOperator.identity());
        }

        Tensor fresh() {
            return layout.apply(base.copy());
        }
    }

    /** The norm-wise relative error of each input's gradient. */
    record Result(double[] errors, String[] details) {
        double worst() {
            return Arrays.stream(errors).max().orElse(0);
        }

        @Override
        public String toString() {
            return String.join("; ", details);
        }
    }

    private final long seed;
    private double step = 1e-2;
    private double analyticScale = 1.0;

    private GradientCheck(long seed) {
        this.seed = seed;
    }

    /** A check whose weights R come from {@code seed}. */
    static GradientCheck withSeed(long seed) {
        return new GradientCheck(seed);
    }

    /** The finite-difference step h. */
    GradientCheck step(double h) {
        this.step = h;
        return this;
    }

    /** Multiplies the analytic gradient by {@code scale} before comparing: proves the check can fail. */
    GradientCheck corruptAnalytic(double scale) {
        this.analyticScale = scale;
        return this;
    }

    /** Runs the comparison for {@code op} over the given inputs (every one is differentiated). */
    Result run(Function<Var[], Var> op, Input... inputs) {
        Tensor weights = null;
        Var[] params = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            params[i] = Var.parameter(inputs[i].fresh());
        }
        try (Tape tape = Tape.record()) {
            Var out = op.apply(params);
            weights = randomWeights(out.shape());
            tape.backward(out, weights);
        }
        double[] errors = new double[inputs.length];
        String[] details = new String[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor grad = params[i].grad();
            if (grad == null) {
                throw new AssertionError("input " + i + " got no gradient (seed " + seed + ")");
            }
            double[] analytic = toDoubles(grad);
            for (int j = 0; j < analytic.length; j++) {
                analytic[j] *= analyticScale;
            }
            double[] numeric = numericGradient(op, inputs, i, weights);
            double diff = 0;
            double norm = 0;
            for (int j = 0; j < numeric.length; j++) {
                diff += (analytic[j] - numeric[j]) * (analytic[j] - numeric[j]);
                norm += numeric[j] * numeric[j];
            }
            // A vanishing numeric gradient is compared absolutely, so an all-zero gradient still has to agree.
            errors[i] = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-3);
            details[i] = "input " + i + " " + Arrays.toString(params[i].shape()) + ": relative error " + errors[i];
        }
        return new Result(errors, details);
    }

    /** Asserts every input's gradient agrees to {@code tolerance}; the message names the seed. */
    void assertAgrees(String what, double tolerance, Function<Var[], Var> op, Input... inputs) {
        Result r = run(op, inputs);
        if (!(r.worst() < tolerance)) {
            throw new AssertionError(what + " (seed " + seed + "): gradient disagrees with finite differences: " + r);
        }
    }

    private double[] numericGradient(Function<Var[], Var> op, Input[] inputs, int which, Tensor weights) {
        Tensor probe = inputs[which].fresh();
        int[] shape = probe.shape();
        double[] result = new double[probe.numel()];
        int[] index = new int[shape.length];
        for (int flat = 0; flat < result.length; flat++) {
            float x = probe.get(index);
            float up = (float) (x + step);
            float down = (float) (x - step);
            double plus = objective(op, inputs, which, index, up, weights);
            double minus = objective(op, inputs, which, index, down, weights);
            result[flat] = (plus - minus) / ((double) up - (double) down);
            increment(index, shape);
        }
        return result;
    }

    private static double objective(Function<Var[], Var> op, Input[] inputs, int which, int[] index, float value,
                                    Tensor weights) {
        Var[] args = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i].fresh();
            if (i == which) {
                t.set(value, index);
            }
            args[i] = Var.constant(t);
        }
        double[] out = toDoubles(op.apply(args).value());
        double[] w = toDoubles(weights);
        double sum = 0;
        for (int j = 0; j < out.length; j++) {
            sum += out[j] * w[j];
        }
        return sum;
    }

    private Tensor randomWeights(int[] shape) {
        Rng rng = new Rng(seed ^ 0x5DEECE66DL);
        return Tensor.uniform(rng, -1f, 1f, shape);
    }

    static double[] toDoubles(Tensor t) {
        float[] f = t.contiguous().toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void increment(int[] index, int[] shape) {
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            if (++index[axis] < shape[axis]) {
                return;
            }
            index[axis] = 0;
        }
    }
}
