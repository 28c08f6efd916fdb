package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Var;

/** A module that maps one value to another, so layers can be chained in a {@link Sequential}. */
public abstract class Layer extends Module {

    /** Computes the layer's output; records on the current tape when one is recording. */
    public abstract Var forward(Var x);
}
