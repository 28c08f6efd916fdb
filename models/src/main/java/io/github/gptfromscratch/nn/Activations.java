package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Var;

/** Parameter-free layers, for {@link Sequential}. */
public final class Activations {

    private Activations() {
    }

    /** tanh. */
    public static Layer tanh() {
        return new Layer() {
            @Override
            public Var forward(Var x) {
                return x.tanh();
            }
        };
    }

    /** GELU with the exact normal CDF. */
    public static Layer gelu() {
        return new Layer() {
            @Override
            public Var forward(Var x) {
                return x.gelu();
            }
        };
    }

    /** ReLU. */
    public static Layer relu() {
        return new Layer() {
            @Override
            public Var forward(Var x) {
                return x.relu();
            }
        };
    }
}
