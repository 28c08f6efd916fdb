package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Indexing;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

/** A table of {@code count} learned vectors of size {@code dim}, looked up by id (N(0,1) init, as {@code nn.Embedding}). */
public final class Embedding extends Module {

    private final Var weight;

    /** {@code count} vectors of size {@code dim}, drawn from N(0, 1). */
    public Embedding(int count, int dim, Rng rng) {
        if (count <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got count=" + count + ", dim=" + dim);
        }
        this.weight = parameter("weight", Tensor.randn(rng, count, dim));
    }

    /** The table, {@code [count, dim]}. */
    public Var weight() {
        return weight;
    }

    /** The vectors of {@code ids}: shape {@code ids.shape() + [dim]}. */
    public Var forward(IntTensor ids) {
        return Indexing.embedding(weight, ids);
    }
}
