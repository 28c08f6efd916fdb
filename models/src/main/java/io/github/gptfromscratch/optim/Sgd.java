package io.github.gptfromscratch.optim;

import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Plain stochastic gradient descent: p ← p − lr·grad, as in the makemore lectures. */
public final class Sgd implements Optimizer {

    private final Map<String, Var> params;
    private long steps;

    /** An optimizer for {@code params} (by name). */
    public Sgd(Map<String, Var> params) {
        this.params = new LinkedHashMap<>(params);
    }

    @Override
    public void step(double lr) {
        for (Var p : params.values()) {
            if (p.grad() != null) {
                p.value().axpyInPlace((float) -lr, p.grad());
            }
        }
        steps++;
    }

    @Override
    public void zeroGrad() {
        params.values().forEach(Var::zeroGrad);
    }

    @Override
    public Map<String, Var> parameters() {
        return params;
    }

    @Override
    public Map<String, Tensor> state() {
        return Map.of("step", Tensor.scalar(steps));
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        Tensor s = state.get("step");
        if (s == null) {
            throw new IllegalArgumentException("Sgd.loadState: the state has no 'step'");
        }
        steps = (long) s.item();
    }

    @Override
    public long steps() {
        return steps;
    }
}
