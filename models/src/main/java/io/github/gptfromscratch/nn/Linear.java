package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.MatMul;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import java.util.Arrays;

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

    /**
     * A layer starting from the given values: {@code weight} is {@code [out, in]}, {@code bias} is
     * {@code [out]} or null for none. Both are copied.
     *
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public Linear(Tensor weight, Tensor bias) {
        if (weight.dim() != 2 || (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0)))) {
            throw new IllegalArgumentException("Linear: expected weight [out, in] and bias [out] or none, got weight "
                    + Arrays.toString(weight.shape()) + " and bias "
                    + (bias == null ? "none" : Arrays.toString(bias.shape())));
        }
        this.weight = parameter("weight", weight.copy());
        this.bias = bias == null ? null : parameter("bias", bias.copy());
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
