package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.internal.kernels.BinaryOp;
import io.github.gptfromscratch.tensor.internal.kernels.Kernels;
import io.github.gptfromscratch.tensor.internal.kernels.UnaryOp;

import java.util.Arrays;

/** Loss functions, fused where that saves passes over memory. */
public final class Losses {

    private Losses() {
    }

    /**
     * Mean cross-entropy of {@code logits} (classes on the last axis, any leading axes) against integer
     * {@code targets} (the leading axes' shape), as {@code F.cross_entropy}. Log-softmax and the
     * negative log-likelihood run in one pass per row; the backward is (softmax − one-hot) / count.
     *
     * @throws IllegalArgumentException if the shapes disagree or a target is not a class index
     */
    public static Var crossEntropy(Var logits, IntTensor targets) {
        return crossEntropy(logits, targets, NO_IGNORED_TARGET);
    }

    /**
     * {@link #crossEntropy(Var, IntTensor)} where targets equal to {@code ignoreIndex} (padding; -1 in
     * nanoGPT and makemore) contribute nothing: the mean runs over the other targets only, and ignored rows
     * get a zero gradient, as {@code F.cross_entropy(..., ignore_index=ignoreIndex)}.
     *
     * @throws IllegalArgumentException if the shapes disagree, a target is neither a class index nor
     *     {@code ignoreIndex}, or every target is ignored (the mean would be 0/0)
     */
    public static Var crossEntropy(Var logits, IntTensor targets, int ignoreIndex) {
        Tensor x = logits.value().contiguous();
        int[] shape = x.shape();
        int classes = shape[shape.length - 1];
        int rows = x.numel() / Math.max(classes, 1);
        int[] leading = Arrays.copyOf(shape, shape.length - 1);
        if (targets.numel() != rows) {
            throw new IllegalArgumentException("crossEntropy: logits " + Arrays.toString(shape) + " need targets of shape "
                    + Arrays.toString(leading) + ", got " + Arrays.toString(targets.shape()));
        }
        int[] t = targets.data();
        float[] xd = x.storage();
        int base = x.offset();
        // Row probabilities are kept for the backward pass: softmax is what it needs. They are built in
        // three passes, the exponential over all rows at once: row by row, a row of 27 classes left 11
        // elements past the last whole vector to the scalar exp, which cost more than the rest.
        Tensor probs = Tensor.zeros(rows, classes);
        float[] pd = probs.storage();
        float[] maxes = new float[rows];
        Kernels k = Kernels.get();
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            int target = t[r];
            if (target == ignoreIndex) {
                continue;
            }
            if (target < 0 || target >= classes) {
                throw new IllegalArgumentException("crossEntropy: target " + target + " at row " + r
                        + " is not a class index in [0, " + classes + ")"
                        + (ignoreIndex == NO_IGNORED_TARGET ? "" : " nor the ignored index " + ignoreIndex));
            }
            int off = base + r * classes;
            maxes[r] = k.max(classes, xd, off);
            k.binary(BinaryOp.SUB, classes, xd, off, 1, maxes, r, 0, pd, r * classes);
            counted++;
        }
        k.unary(UnaryOp.EXP, rows * classes, pd, 0, pd, 0);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int row = r * classes;
            if (t[r] == ignoreIndex) {
                Arrays.fill(pd, row, row + classes, 0f); // its probabilities stay zero, and so does its gradient
                continue;
            }
            float sum = k.sum(classes, pd, row);
            total += maxes[r] + Math.log(sum) - xd[base + row + t[r]];
            k.scale(classes, 1f / sum, pd, row);
        }
        if (counted == 0) {
            throw new IllegalArgumentException("crossEntropy: all " + rows + " targets equal the ignored index "
                    + ignoreIndex + ", so there is no loss to average");
        }
        int count = counted;
        Tensor loss = Tensor.scalar((float) (total / count));
        return Tape.record(loss, g -> {
            float scale = g.item() / count;
            Tensor grad = probs; // reused in place: the backward runs once
            for (int r = 0; r < rows; r++) {
                if (t[r] != ignoreIndex) {
                    pd[r * classes + t[r]] -= 1f;
                }
            }
            grad.mulInPlace(scale);
            logits.accumulate(grad.reshape(shape));
        }, logits);
    }

    /** No class index equals it, so nothing is ignored. */
    private static final int NO_IGNORED_TARGET = Integer.MIN_VALUE;
}
