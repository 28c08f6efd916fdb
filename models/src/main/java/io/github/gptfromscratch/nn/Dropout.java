package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Elementwise;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Rng;

/** Zeroes elements with probability p in training (scaling the rest by 1/(1−p)); identity in evaluation. */
public final class Dropout extends Layer {

    private final float p;
    private final Rng rng;

    /** Draws its masks from {@code rng}, which the caller owns (and saves in checkpoints). */
    public Dropout(float p, Rng rng) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout: probability " + p + " is not in [0, 1)");
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Var forward(Var x) {
        return Elementwise.dropout(x, p, isTraining(), rng);
    }
}
