package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.internal.kernels.BinaryOp;
import io.github.gptfromscratch.tensor.internal.kernels.UnaryOp;

/** Elementwise operations with NumPy broadcasting, each forward beside its backward. */
public final class Elementwise {

    private Elementwise() {
    }

    /** a + b, broadcasting; the gradient of a broadcast operand is summed back to its shape. */
    public static Var add(Var a, Var b) {
        return Tape.record(a.value().add(b.value()), g -> {
            a.accumulate(g);
            b.accumulate(g);
        }, a, b);
    }

    /** a + c. */
    public static Var add(Var a, float c) {
        return Tape.record(a.value().add(c), a::accumulate, a);
    }

    /** a − b, broadcasting. */
    public static Var sub(Var a, Var b) {
        return Tape.record(a.value().sub(b.value()), g -> {
            a.accumulate(g);
            if (b.requiresGrad()) {
                b.accumulate(g.neg());
            }
        }, a, b);
    }

    /** a · b elementwise, broadcasting. */
    public static Var mul(Var a, Var b) {
        Tensor av = a.value();
        Tensor bv = b.value();
        return Tape.record(av.mul(bv), g -> {
            if (a.requiresGrad()) {
                a.accumulate(g.mul(bv));
            }
            if (b.requiresGrad()) {
                b.accumulate(g.mul(av));
            }
        }, a, b);
    }

    /** a · c. */
    public static Var mul(Var a, float c) {
        return Tape.record(a.value().mul(c), g -> a.accumulate(g.mul(c)), a);
    }

    /** a / b elementwise, broadcasting. */
    public static Var div(Var a, Var b) {
        Tensor av = a.value();
        Tensor bv = b.value();
        return Tape.record(av.div(bv), g -> {
            if (a.requiresGrad()) {
                a.accumulate(g.div(bv));
            }
            if (b.requiresGrad()) {
                b.accumulate(g.mul(av).div(bv.square()).neg());
            }
        }, a, b);
    }

    /** −a. */
    public static Var neg(Var a) {
        return Tape.record(a.value().neg(), g -> a.accumulate(g.neg()), a);
    }

    /** a^p elementwise. */
    public static Var pow(Var a, float p) {
        Tensor x = a.value();
        return Tape.record(x.pow(p), g -> a.accumulate(g.mul(x.pow(p - 1f).mul(p))), a);
    }

    /** e^a elementwise. */
    public static Var exp(Var a) {
        Tensor y = a.value().exp();
        return Tape.record(y, g -> a.accumulate(g.mul(y)), a);
    }

    /** Natural logarithm elementwise. */
    public static Var log(Var a) {
        Tensor x = a.value();
        return Tape.record(x.log(), g -> a.accumulate(g.div(x)), a);
    }

    /** tanh elementwise. */
    public static Var tanh(Var a) {
        Tensor y = a.value().tanh();
        // d tanh = 1 − y², fused with the product by g
        return Tape.record(y, g -> a.accumulate(g.apply(BinaryOp.TANH_BACKWARD, y)), a);
    }

    /** max(a, 0) elementwise. */
    public static Var relu(Var a) {
        Tensor x = a.value();
        return Tape.record(x.relu(), g -> a.accumulate(g.apply(BinaryOp.RELU_BACKWARD, x)), a);
    }

    /** 1 / (1 + e^−a) elementwise. */
    public static Var sigmoid(Var a) {
        Tensor y = a.value().sigmoid();
        return Tape.record(y, g -> a.accumulate(g.mul(y.mul(y.neg().add(1f)))), a);
    }

    /** GELU with the exact normal CDF (PyTorch's {@code nn.GELU()}). */
    public static Var gelu(Var a) {
        Tensor x = a.value();
        return Tape.record(x.gelu(), g -> a.accumulate(g.apply(BinaryOp.GELU_BACKWARD, x)), a);
    }

    /** GELU's tanh approximation ({@code nn.GELU(approximate="tanh")}). */
    public static Var geluTanh(Var a) {
        Tensor x = a.value();
        return Tape.record(x.geluTanh(), g -> a.accumulate(g.mul(x.map(UnaryOp.GELU_TANH_GRAD))), a);
    }

    /** Where {@code mask} is non-zero the result is {@code value} (and passes no gradient), elsewhere {@code a}. */
    public static Var maskedFill(Var a, Tensor mask, float value) {
        return Tape.record(a.value().maskedFill(mask, value), g -> a.accumulate(g.maskedFill(mask, 0f)), a);
    }

    /**
     * Inverted dropout: in training, zeroes each element with probability {@code p} (drawn from
     * {@code rng}) and scales the rest by 1/(1−p); otherwise, or with p = 0, returns {@code a}.
     */
    public static Var dropout(Var a, float p, boolean training, Rng rng) {
        if (p < 0f || p >= 1f) {
            throw new IllegalArgumentException("dropout: probability " + p + " is not in [0, 1)");
        }
        if (!training || p == 0f) {
            return a;
        }
        Tensor mask = Tensor.zeros(a.shape());
        float[] m = mask.storage();
        float keep = 1f / (1f - p);
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextFloat() >= p ? keep : 0f;
        }
        return Tape.record(a.value().mul(mask), g -> a.accumulate(g.mul(mask)), a);
    }
}
