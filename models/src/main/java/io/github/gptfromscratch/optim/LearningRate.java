package io.github.gptfromscratch.optim;

/**
 * A learning rate per step.
 *
 * <pre>{@code
 * LearningRate lr = LearningRate.warmupCosine(1e-3, 1e-4, 100, 2000); // nanoGPT's schedule
 * double now = lr.at(step);
 * }</pre>
 */
@FunctionalInterface
public interface LearningRate {

    /** The learning rate at {@code step} (0-based). */
    double at(long step);

    /** The same rate at every step. */
    static LearningRate constant(double lr) {
        check(lr);
        return step -> lr;
    }

    /** {@code lr} until {@code boundary}, then {@code lr·factor} (makemore: 0.1 then 0.01). */
    static LearningRate stepDecay(double lr, long boundary, double factor) {
        check(lr);
        check(lr * factor);
        return step -> step < boundary ? lr : lr * factor;
    }

    /**
     * nanoGPT's schedule: linear warm-up {@code lr·(step+1)/(warmup+1)}, then cosine decay to
     * {@code minLr} at {@code decaySteps}, then {@code minLr}.
     */
    static LearningRate warmupCosine(double lr, double minLr, long warmup, long decaySteps) {
        check(lr);
        if (!(minLr >= 0) || minLr > lr || warmup < 0 || decaySteps <= warmup) {
            throw new IllegalArgumentException("warmupCosine: need 0 <= min_lr <= lr and 0 <= warmup < decay steps, got lr="
                    + lr + ", min_lr=" + minLr + ", warmup=" + warmup + ", decay=" + decaySteps);
        }
        return step -> {
            if (step < warmup) {
                return lr * (step + 1) / (warmup + 1);
            }
            if (step > decaySteps) {
                return minLr;
            }
            double ratio = (double) (step - warmup) / (decaySteps - warmup);
            return minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (lr - minLr);
        };
    }

    private static void check(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        }
    }
}
