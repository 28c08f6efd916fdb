package io.github.gptfromscratch.autograd.scalar;

import io.github.gptfromscratch.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected layer: {@code outputs} independent {@link Neuron}s reading the same inputs.
 *
 * <pre>{@code
 * Layer hidden = new Layer(2, 16, Activation.RELU, new Rng(1337));
 * List<Value> h = hidden.apply(List.of(new Value(0.5), new Value(-1.0)));   // 16 values
 * }</pre>
 */
public final class Layer implements ScalarModule {

    private final List<Neuron> neurons;

    /**
     * @param inputs how many inputs each neuron takes, at least 1
     * @param outputs how many neurons, at least 1
     * @param activation the non-linearity of every neuron
     * @param rng the source of the initial weights, drawn neuron by neuron
     */
    public Layer(int inputs, int outputs, Activation activation, Rng rng) {
        if (outputs < 1) {
            throw new IllegalArgumentException("Layer: outputs must be at least 1, got " + outputs);
        }
        List<Neuron> n = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            n.add(new Neuron(inputs, activation, rng));
        }
        this.neurons = List.copyOf(n);
    }

    /** One output per neuron, in order. */
    public List<Value> apply(List<Value> inputs) {
        List<Value> outputs = new ArrayList<>(neurons.size());
        for (Neuron neuron : neurons) {
            outputs.add(neuron.apply(inputs));
        }
        return outputs;
    }

    /** The neurons, in output order. */
    public List<Neuron> neurons() {
        return neurons;
    }

    /** Every neuron's parameters, neuron by neuron. */
    @Override
    public List<Value> parameters() {
        List<Value> all = new ArrayList<>();
        for (Neuron neuron : neurons) {
            all.addAll(neuron.parameters());
        }
        return all;
    }

    @Override
    public String toString() {
        return "Layer(" + neurons.size() + " x " + neurons.get(0) + ")";
    }
}
