package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Tensor;

import java.util.Arrays;

/**
 * The one rule that makes broadcasting differentiable: a value broadcast along an axis in the forward
 * pass receives the sum of the gradients along that axis in the backward pass.
 */
final class Broadcasting {

    private Broadcasting() {
    }

    /** Sums {@code g} down to {@code shape}, which it was broadcast from. */
    static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("gradient of shape " + Arrays.toString(gs)
                    + " cannot be reduced to shape " + Arrays.toString(shape));
        }
        int count = 0;
        int[] axes = new int[gs.length];
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) {
                axes[count++] = i;
            } else if (shape[i - lead] != gs[i]) {
                throw new IllegalArgumentException("gradient of shape " + Arrays.toString(gs)
                        + " cannot be reduced to shape " + Arrays.toString(shape));
            }
        }
        Tensor summed = count == 0 ? g : g.sum(Arrays.copyOf(axes, count), true);
        return summed.reshape(shape);
    }
}
