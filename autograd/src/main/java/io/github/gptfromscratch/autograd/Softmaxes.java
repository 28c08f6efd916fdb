package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Tensor;

/** Softmax and log-softmax along an axis, forward beside backward. */
public final class Softmaxes {

    private Softmaxes() {
    }

    /** Backward: dx = y ⊙ (dy − Σ dy⊙y). */
    public static Var softmax(Var a, int axis) {
        Tensor y = a.value().softmax(axis);
        return Tape.record(y, g -> {
            Tensor dot = g.mul(y).sum(axis, true);
            a.accumulate(g.sub(dot).mul(y));
        }, a);
    }

    /** Backward: dx = dy − softmax(x) ⊙ Σ dy. */
    public static Var logSoftmax(Var a, int axis) {
        Tensor y = a.value().logSoftmax(axis);
        return Tape.record(y, g -> {
            Tensor total = g.sum(axis, true);
            a.accumulate(g.sub(y.exp().mul(total)));
        }, a);
    }
}
