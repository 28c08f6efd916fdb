package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.MatMul;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

/**
 * y = x·Wᵀ + b, with W stored as {@code [out, in]} like {@code nn.Linear}; any leading axes in x.
 * Initialised as PyTorch does: uniform in ±1/√in for weight and bias.
 */
public final class Linear extends Layer {

    private final Var weight;
    private final Var bias;

    /** A layer from {@code in} to {@code out} features, with or without a bias. */
    public Linear(int in, int out, boolean bias, Rng rng) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + ", out=" + out);
        }
        float bound = (float) (1.0 / Math.sqrt(in));
        this.weight = parameter("weight", Tensor.uniform(rng, -bound, bound, out, in));
        this.bias = bias ? parameter("bias", Tensor.uniform(rng, -bound, bound, out)) : null;
    }

    /** The weight, {@code [out, in]}. */
    public Var weight() {
        return weight;
    }

    /** The bias, {@code [out]}, or null. */
    public Var bias() {
        return bias;
    }

    @Override
    public Var forward(Var x) {
        return MatMul.linear(x, weight, bias);
    }
}
