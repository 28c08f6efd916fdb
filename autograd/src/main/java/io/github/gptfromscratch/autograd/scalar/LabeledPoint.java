package io.github.gptfromscratch.autograd.scalar;

/**
 * A point in the plane with a binary class label.
 *
 * @param x the first coordinate
 * @param y the second coordinate
 * @param label the class, {@code -1} or {@code +1}
 */
public record LabeledPoint(double x, double y, int label) {

    /** Validates the label. */
    public LabeledPoint {
        if (label != -1 && label != 1) {
            throw new IllegalArgumentException("LabeledPoint: label must be -1 or +1, got " + label);
        }
    }
}
