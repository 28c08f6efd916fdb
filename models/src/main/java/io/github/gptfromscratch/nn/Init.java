package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

/** Re-initialisation of parameters in place, as {@code torch.nn.init} does. */
public final class Init {

    private Init() {
    }

    /** Draws every element from N(0, std²). */
    public static void normal(Var p, double std, Rng rng) {
        p.value().copyFrom(Tensor.randn(rng, p.shape()).mul((float) std));
    }

    /** Sets every element to {@code value}. */
    public static void constant(Var p, float value) {
        p.value().fill(value);
    }

    /** Multiplies every element by {@code factor} (the lectures' "scale down the last layer"). */
    public static void scale(Var p, float factor) {
        p.value().mulInPlace(factor);
    }
}
