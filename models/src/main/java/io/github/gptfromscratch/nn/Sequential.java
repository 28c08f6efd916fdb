package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Var;

import java.util.List;

/** Layers applied in order; their parameters are named by position ({@code 0.weight}, {@code 1.bias}, …). */
public final class Sequential extends Layer {

    private final List<Layer> layers;

    /** The layers in the order they apply. */
    public Sequential(Layer... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) {
            register(Integer.toString(i), layers[i]);
        }
    }

    /** The layers, in order. */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Var forward(Var x) {
        Var h = x;
        for (Layer layer : layers) {
            h = layer.forward(h);
        }
        return h;
    }
}
