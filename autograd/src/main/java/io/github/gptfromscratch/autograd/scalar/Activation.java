package io.github.gptfromscratch.autograd.scalar;

/** The non-linearity a {@link Neuron} applies to its weighted sum. */
public enum Activation {
    /** {@code max(0, x)}: hidden layers. */
    RELU,
    /** The identity: output layers, whose scores must be free to be negative. */
    LINEAR;

    Value apply(Value preActivation) {
        return this == RELU ? preActivation.relu() : preActivation;
    }
}
