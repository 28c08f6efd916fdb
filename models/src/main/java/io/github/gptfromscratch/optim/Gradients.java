package io.github.gptfromscratch.optim;

import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.Map;

/** Whole-model gradient utilities. */
public final class Gradients {

    private Gradients() {
    }

    /** The L2 norm of all gradients together (missing gradients count as zero). */
    public static double globalNorm(Map<String, Var> params) {
        double sum = 0;
        for (Var p : params.values()) {
            Tensor g = p.grad();
            if (g != null) {
                sum += g.square().sum().item();
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales all gradients so their global norm is at most {@code maxNorm}, as
     * {@code torch.nn.utils.clip_grad_norm_}; returns the norm before clipping.
     */
    public static double clipGlobalNorm(Map<String, Var> params, double maxNorm) {
        double norm = globalNorm(params);
        double scale = maxNorm / (norm + 1e-6);
        if (scale < 1) {
            for (Var p : params.values()) {
                if (p.grad() != null) {
                    p.grad().mulInPlace((float) scale);
                }
            }
        }
        return norm;
    }

    /**
     * Throws if a gradient holds NaN or ±∞, naming the first bad tensor (training must stop there,
     * not write a poisoned checkpoint).
     */
    public static void requireFinite(Map<String, Var> params, long step) {
        for (Map.Entry<String, Var> e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) {
                continue;
            }
            Tensor c = g.contiguous();
            float[] d = c.storage();
            int n = c.numel();
            for (int i = 0; i < n; i++) {
                float v = d[c.offset() + i];
                if (!Float.isFinite(v)) {
                    throw new NonFiniteException("step " + step + ": gradient of " + e.getKey() + " holds " + v
                            + " at flat index " + i);
                }
            }
        }
    }

    /** Training produced NaN or infinity. */
    public static final class NonFiniteException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        /** An error whose message names the step and the tensor. */
        public NonFiniteException(String message) {
            super(message);
        }
    }
}
