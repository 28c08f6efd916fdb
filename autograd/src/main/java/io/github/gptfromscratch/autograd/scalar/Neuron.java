package io.github.gptfromscratch.autograd.scalar;

import io.github.gptfromscratch.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * One neuron: {@code activation(w · x + b)}, with weights drawn uniformly from {@code [-1, 1)} and
 * the bias starting at 0 (micrograd's initialisation).
 *
 * <pre>{@code
 * Neuron neuron = new Neuron(3, Activation.RELU, new Rng(42));
 * Value out = neuron.apply(List.of(new Value(1), new Value(-2), new Value(0.5)));
 * }</pre>
 */
public final class Neuron implements ScalarModule {

    private final List<Value> weights;
    private final Value bias;
    private final Activation activation;

    /**
     * @param inputs how many inputs the neuron takes, at least 1
     * @param activation the non-linearity applied to the weighted sum
     * @param rng the source of the initial weights
     */
    public Neuron(int inputs, Activation activation, Rng rng) {
        if (inputs < 1) {
            throw new IllegalArgumentException("Neuron: inputs must be at least 1, got " + inputs);
        }
        List<Value> w = new ArrayList<>(inputs);
        for (int i = 0; i < inputs; i++) {
            w.add(new Value(2.0 * rng.nextDouble() - 1.0));
        }
        this.weights = List.copyOf(w);
        this.bias = new Value(0.0);
        this.activation = activation;
    }

    /**
     * The neuron's output for one input vector.
     *
     * @throws IllegalArgumentException if {@code inputs} does not have one entry per weight
     */
    public Value apply(List<Value> inputs) {
        if (inputs.size() != weights.size()) {
            throw new IllegalArgumentException(
                    "Neuron: expected " + weights.size() + " inputs, got " + inputs.size());
        }
        List<Value> terms = new ArrayList<>(weights.size() + 1);
        for (int i = 0; i < weights.size(); i++) {
            terms.add(weights.get(i).mul(inputs.get(i)));
        }
        terms.add(bias);
        return activation.apply(Value.sum(terms));
    }

    /** The activation applied to the weighted sum. */
    public Activation activation() {
        return activation;
    }

    /** The weights, then the bias. */
    @Override
    public List<Value> parameters() {
        List<Value> all = new ArrayList<>(weights);
        all.add(bias);
        return all;
    }

    @Override
    public String toString() {
        return activation + "Neuron(" + weights.size() + ")";
    }
}
