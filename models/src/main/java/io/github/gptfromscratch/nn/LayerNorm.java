package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Normalization;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Tensor;

/** Normalises the last axis to zero mean and unit variance, then scales and shifts (eps 1e-5). */
public final class LayerNorm extends Layer {

    /** PyTorch's default epsilon. */
    public static final float EPS = 1e-5f;

    private final Var weight;
    private final Var bias;

    /** Gain 1 and (optionally) bias 0 over {@code dim} features. */
    public LayerNorm(int dim, boolean bias) {
        this.weight = parameter("weight", Tensor.ones(dim));
        this.bias = bias ? parameter("bias", Tensor.zeros(dim)) : null;
    }

    @Override
    public Var forward(Var x) {
        return Normalization.layerNorm(x, weight, bias, EPS);
    }
}
