package io.github.gptfromscratch.autograd.scalar;

import java.util.ArrayList;
import java.util.List;

/**
 * Losses and metrics for binary classification with labels {@code ±1} and real-valued scores.
 *
 * <pre>{@code
 * Value loss = Losses.maxMargin(scores, labels).add(Losses.l2(model.parameters(), 1e-4));
 * double accuracy = Losses.accuracy(scores, labels);
 * }</pre>
 */
public final class Losses {

    private Losses() {
    }

    /**
     * The support-vector-machine hinge loss: the mean over samples of {@code relu(1 - y·score)}.
     * It is zero once every sample is on the right side with a margin of at least 1.
     *
     * @param scores one score per sample
     * @param labels one label per sample, each {@code -1} or {@code +1}
     * @throws IllegalArgumentException if the lists are empty or of different sizes, or a label is not ±1
     */
    public static Value maxMargin(List<Value> scores, int[] labels) {
        requireMatching("maxMargin", scores, labels);
        List<Value> margins = new ArrayList<>(scores.size());
        for (int i = 0; i < labels.length; i++) {
            margins.add(scores.get(i).mul(-labels[i]).add(1.0).relu());
        }
        return Value.sum(margins).div(margins.size());
    }

    /**
     * The L2 penalty {@code alpha · Σ p²}.
     *
     * @param parameters the values to penalise, at least one
     * @param alpha the strength
     */
    public static Value l2(List<Value> parameters, double alpha) {
        List<Value> squares = new ArrayList<>(parameters.size());
        for (Value p : parameters) {
            squares.add(p.mul(p));
        }
        return Value.sum(squares).mul(alpha);
    }

    /**
     * The fraction of samples, in {@code [0, 1]}, whose score has the sign of the label; a score of
     * exactly 0 counts as class {@code -1}.
     *
     * @throws IllegalArgumentException if the lists are empty or of different sizes, or a label is not ±1
     */
    public static double accuracy(List<Value> scores, int[] labels) {
        requireMatching("accuracy", scores, labels);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((scores.get(i).data() > 0.0) == (labels[i] > 0)) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    private static void requireMatching(String op, List<Value> scores, int[] labels) {
        if (scores.size() != labels.length || labels.length == 0) {
            throw new IllegalArgumentException(
                    op + ": need one label per score and at least one of each, got "
                            + scores.size() + " scores and " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != -1 && labels[i] != 1) {
                throw new IllegalArgumentException(op + ": label " + i + " is " + labels[i] + ", not -1 or +1");
            }
        }
    }
}
