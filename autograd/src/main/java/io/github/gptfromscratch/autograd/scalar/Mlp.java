package io.github.gptfromscratch.autograd.scalar;

import io.github.gptfromscratch.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-layer perceptron of scalar {@link Value}s: ReLU hidden layers and a linear output layer,
 * like micrograd's {@code MLP(nin, nouts)}.
 *
 * <pre>{@code
 * Mlp model = new Mlp(2, List.of(16, 16, 1), new Rng(1337));   // 337 parameters
 * Value score = model.apply(0.5, -0.25).get(0);
 * }</pre>
 */
public final class Mlp implements ScalarModule {

    private final int inputs;
    private final List<Layer> layers;

    /**
     * @param inputs the size of an input vector, at least 1
     * @param layerSizes the number of neurons in each layer, the last one being the output layer
     * @param rng the source of the initial weights, drawn layer by layer
     */
    public Mlp(int inputs, List<Integer> layerSizes, Rng rng) {
        if (layerSizes.isEmpty()) {
            throw new IllegalArgumentException("Mlp: at least one layer is needed");
        }
        this.inputs = inputs;
        List<Layer> built = new ArrayList<>(layerSizes.size());
        int fanIn = inputs;
        for (int i = 0; i < layerSizes.size(); i++) {
            boolean output = i == layerSizes.size() - 1;
            built.add(new Layer(fanIn, layerSizes.get(i), output ? Activation.LINEAR : Activation.RELU, rng));
            fanIn = layerSizes.get(i);
        }
        this.layers = List.copyOf(built);
    }

    /** The outputs of the last layer for one input vector. */
    public List<Value> apply(List<Value> input) {
        List<Value> x = input;
        for (Layer layer : layers) {
            x = layer.apply(x);
        }
        return x;
    }

    /** The outputs for one input vector of plain numbers (wrapped as leaves without gradients of interest). */
    public List<Value> apply(double... input) {
        List<Value> x = new ArrayList<>(input.length);
        for (double v : input) {
            x.add(new Value(v));
        }
        return apply(x);
    }

    /** The size of an input vector. */
    public int inputs() {
        return inputs;
    }

    /** The size of an output vector: the number of neurons in the last layer. */
    public int outputs() {
        return layers.get(layers.size() - 1).neurons().size();
    }

    /** The layers, from input to output. */
    public List<Layer> layers() {
        return layers;
    }

    /** Every layer's parameters, layer by layer. */
    @Override
    public List<Value> parameters() {
        List<Value> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.parameters());
        }
        return all;
    }

    /** micrograd's notation, e.g. {@code MLP(2, [16, 16, 1])}. */
    @Override
    public String toString() {
        List<Integer> sizes = new ArrayList<>();
        for (Layer layer : layers) {
            sizes.add(layer.neurons().size());
        }
        return "MLP(" + inputs + ", " + sizes + ")";
    }
}
