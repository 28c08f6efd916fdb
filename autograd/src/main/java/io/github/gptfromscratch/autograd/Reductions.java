package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Tensor;

/** Sums, means, maxima and variances over axes, each forward beside its backward. */
public final class Reductions {

    private Reductions() {
    }

    /** Sum of all elements (a 0-d result). */
    public static Var sum(Var a) {
        int[] shape = a.shape();
        return Tape.record(a.value().sum(), g -> a.accumulate(g.expand(shape)), a);
    }

    /** Sum over axes. */
    public static Var sum(Var a, int[] axes, boolean keepDim) {
        int[] shape = a.shape();
        Tensor kept = a.value().sum(axes, true);
        int[] keptShape = kept.shape();
        Tensor out = keepDim ? kept : dropKeptAxes(kept, axes);
        return Tape.record(out, g -> a.accumulate(g.reshape(keptShape).expand(shape)), a);
    }

    /** Mean of all elements (a 0-d result). */
    public static Var mean(Var a) {
        int[] shape = a.shape();
        float scale = 1f / a.value().numel();
        return Tape.record(a.value().mean(), g -> a.accumulate(g.mul(scale).expand(shape)), a);
    }

    /** Mean over axes. */
    public static Var mean(Var a, int[] axes, boolean keepDim) {
        int[] shape = a.shape();
        Tensor kept = a.value().mean(axes, true);
        int[] keptShape = kept.shape();
        float scale = (float) kept.numel() / a.value().numel();
        Tensor out = keepDim ? kept : dropKeptAxes(kept, axes);
        return Tape.record(out, g -> a.accumulate(g.reshape(keptShape).mul(scale).expand(shape)), a);
    }

    /**
     * Maximum over one axis. The gradient is shared evenly among the elements that attain the maximum
     * (as {@code torch.amax}), so ties never multiply it.
     */
    public static Var max(Var a, int axis, boolean keepDim) {
        Tensor x = a.value();
        Tensor kept = x.max(axis, true);
        int[] keptShape = kept.shape();
        Tensor out = keepDim ? kept : dropKeptAxes(kept, new int[] {axis});
        return Tape.record(out, g -> {
            Tensor winners = x.eq(kept);
            Tensor share = winners.div(winners.sum(axis, true));
            a.accumulate(share.mul(g.reshape(keptShape)));
        }, a);
    }

    /**
     * Variance over axes, unbiased (n−1) or biased (n). Backward: d var / d x = 2(x − mean)/(n − ddof).
     */
    public static Var variance(Var a, int[] axes, boolean unbiased, boolean keepDim) {
        Tensor x = a.value();
        Tensor kept = x.variance(axes, unbiased, true);
        int[] keptShape = kept.shape();
        int count = x.numel() / kept.numel();
        float scale = 2f / (count - (unbiased ? 1 : 0));
        Tensor out = keepDim ? kept : dropKeptAxes(kept, axes);
        return Tape.record(out, g -> {
            Tensor centered = x.sub(x.mean(axes, true));
            a.accumulate(centered.mul(g.reshape(keptShape)).mul(scale));
        }, a);
    }

    /**
     * The kept-dimension result seen without its size-1 reduced axes (a view); no axes given means all
     * of them, as in the reductions themselves.
     */
    private static Tensor dropKeptAxes(Tensor kept, int[] axes) {
        int[] shape = kept.shape();
        boolean[] reduced = new boolean[shape.length];
        if (axes.length == 0) {
            java.util.Arrays.fill(reduced, true);
        }
        for (int axis : axes) {
            reduced[axis < 0 ? axis + shape.length : axis] = true;
        }
        int[] out = new int[shape.length];
        int n = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!reduced[i]) {
                out[n++] = shape[i];
            }
        }
        return kept.reshape(java.util.Arrays.copyOf(out, n));
    }
}
