package io.github.gptfromscratch.autograd.scalar;

import java.util.List;

/**
 * Something with trainable scalar parameters: a {@link Neuron}, a {@link Layer} or an {@link Mlp}.
 */
public sealed interface ScalarModule permits Neuron, Layer, Mlp {

    /** The trainable values, in a stable order (layer by layer, neuron by neuron, weights then bias). */
    List<Value> parameters();

    /** How many trainable values there are. */
    default int parameterCount() {
        return parameters().size();
    }

    /** Resets every parameter's gradient to zero, before a backward pass. */
    default void zeroGrad() {
        for (Value parameter : parameters()) {
            parameter.zeroGrad();
        }
    }

    /**
     * One plain gradient-descent update: {@code p -= learningRate * p.grad} for every parameter.
     *
     * @param learningRate the step size
     */
    default void sgdStep(double learningRate) {
        for (Value parameter : parameters()) {
            parameter.setData(parameter.data() - learningRate * parameter.grad());
        }
    }
}
