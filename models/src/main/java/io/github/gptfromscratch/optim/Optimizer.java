package io.github.gptfromscratch.optim;

import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.Map;

/** Updates parameters from their gradients. */
public interface Optimizer {

    /** One update with learning rate {@code lr}; parameters without a gradient are left alone. */
    void step(double lr);

    /** Zeroes every parameter's gradient (keeping the storage for the next backward pass). */
    void zeroGrad();

    /** The parameters, by name, that this optimizer updates. */
    Map<String, Var> parameters();

    /** The optimizer's state as named tensors (for checkpoints); empty for stateless optimizers. */
    Map<String, Tensor> state();

    /** Restores what {@link #state()} returned; every name and shape must match. */
    void loadState(Map<String, Tensor> state);

    /** Number of steps taken. */
    long steps();
}
