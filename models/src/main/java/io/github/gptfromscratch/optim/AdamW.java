package io.github.gptfromscratch.optim;

import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Parallel;
import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.internal.kernels.Kernels;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), computed exactly as {@code torch.optim.AdamW}.
 *
 * <p>By default, as nanoGPT does, weight decay applies only to parameters with two or more axes (matrices
 * and embeddings); biases and norm gains are not decayed unless {@link Config#decayVectors()} says so.
 *
 * <pre>{@code
 * AdamW opt = new AdamW(model.namedParameters(), new AdamW.Config(0.9, 0.99, 1e-8, 0.1));
 * opt.step(1e-3);
 * }</pre>
 */
public final class AdamW implements Optimizer {

    /**
     * Hyper-parameters; validated on construction.
     *
     * @param decayVectors whether biases and norm gains decay too ({@code torch.optim.AdamW} over all
     *                     parameters, as makemore.py); nanoGPT decays matrices and embeddings only
     */
    public record Config(double beta1, double beta2, double eps, double weightDecay, boolean decayVectors) {
        /** Validates the hyper-parameters. */
        public Config {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW: betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(eps > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("AdamW: eps must be > 0 and weight decay >= 0, got eps=" + eps
                        + ", weight_decay=" + weightDecay);
            }
        }

        /** nanoGPT's grouping: weight decay on matrices and embeddings only. */
        public Config(double beta1, double beta2, double eps, double weightDecay) {
            this(beta1, beta2, eps, weightDecay, false);
        }
    }

    private final Map<String, Var> params;
    private final Config config;
    private final Map<String, Tensor> exp = new LinkedHashMap<>();
    private final Map<String, Tensor> expSq = new LinkedHashMap<>();
    private long steps;

    /** An optimizer for {@code params} (by name), with zeroed moments. */
    public AdamW(Map<String, Var> params, Config config) {
        this.params = new LinkedHashMap<>(params);
        this.config = config;
        params.forEach((name, p) -> {
            exp.put(name, Tensor.zeros(p.shape()));
            expSq.put(name, Tensor.zeros(p.shape()));
        });
    }

    /** Whether a parameter is decayed: matrices and embeddings are, vectors (biases, gains) are not. */
    public static boolean decays(Var p) {
        return p.value().dim() >= 2;
    }

    @Override
    public void step(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("AdamW.step: learning rate must be positive and finite, got " + lr);
        }
        steps++;
        double bc1 = 1 - Math.pow(config.beta1(), steps);
        double bc2 = 1 - Math.pow(config.beta2(), steps);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float eps = (float) config.eps();
        for (Map.Entry<String, Var> e : params.entrySet()) {
            Var p = e.getValue();
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            float decay = config.decayVectors() || decays(p) ? (float) (1 - lr * config.weightDecay()) : 1f;
            update(p.value(), g.contiguous(), exp.get(e.getKey()), expSq.get(e.getKey()), decay, b1, b2, eps,
                    stepSize, invSqrtBc2);
        }
    }

    private static void update(Tensor param, Tensor grad, Tensor m, Tensor v, float decay, float b1, float b2,
                               float eps, float stepSize, float invSqrtBc2) {
        if (!param.isContiguous()) {
            throw new IllegalStateException("AdamW: parameters must be contiguous");
        }
        float[] pd = param.storage();
        float[] gd = grad.storage();
        Kernels kernels = Kernels.get();
        // Elements are independent: chunks of the tensor go to different threads.
        Parallel.forRange(param.numel(), 16, (start, end) -> kernels.adamW(end - start, pd, param.offset() + start, gd,
                grad.offset() + start, m.storage(), v.storage(), start, decay, b1, b2, eps, stepSize, invSqrtBc2));
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
        Map<String, Tensor> s = new LinkedHashMap<>();
        exp.forEach((n, t) -> s.put("exp_avg." + n, t));
        expSq.forEach((n, t) -> s.put("exp_avg_sq." + n, t));
        s.put("step", Tensor.scalar(steps));
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        Map<String, Tensor> mine = state();
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null || !Arrays.equals(given.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("AdamW.loadState: " + (given == null ? "missing " : "wrong shape for ")
                        + e.getKey());
            }
        }
        exp.forEach((n, t) -> t.copyFrom(state.get("exp_avg." + n)));
        expSq.forEach((n, t) -> t.copyFrom(state.get("exp_avg_sq." + n)));
        steps = (long) state.get("step").item();
    }

    @Override
    public long steps() {
        return steps;
    }
}
