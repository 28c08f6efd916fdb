package io.github.gptfromscratch.autograd.scalar;

import java.util.ArrayList;
import java.util.List;

/**
 * Full-batch training of a one-output {@link Mlp} on labelled points with the hinge loss plus an
 * L2 penalty and plain gradient descent: the loop of micrograd's {@code demo.ipynb}.
 *
 * <pre>{@code
 * Rng rng = new Rng(1337);
 * List<LabeledPoint> data = TwoMoons.generate(100, 0.1, rng.split());
 * Mlp model = new Mlp(2, List.of(16, 16, 1), rng.split());
 * MaxMarginTraining training = new MaxMarginTraining(model, data, 1e-4);
 * for (int k = 0; k < 100; k++) {
 *     MaxMarginTraining.Metrics m = training.step(MaxMarginTraining.linearDecay(k, 100));
 *     System.out.printf("step %d loss %.4f accuracy %.1f%%%n", k, m.loss(), 100 * m.accuracy());
 * }
 * }</pre>
 */
public final class MaxMarginTraining {

    /**
     * How the model did on the training set.
     *
     * @param loss the hinge loss plus the L2 penalty
     * @param accuracy the fraction of points classified correctly, in {@code [0, 1]}
     */
    public record Metrics(double loss, double accuracy) {
    }

    private final Mlp model;
    private final List<LabeledPoint> data;
    private final int[] labels;
    private final double alpha;

    /**
     * @param model a model with two inputs and one output
     * @param data the training set, at least one point
     * @param alpha the L2 strength, at least 0
     */
    public MaxMarginTraining(Mlp model, List<LabeledPoint> data, double alpha) {
        if (model.inputs() != 2 || model.outputs() != 1) {
            throw new IllegalArgumentException(
                    "MaxMarginTraining: the model must map 2 inputs to 1 score, got " + model);
        }
        if (data.isEmpty()) {
            throw new IllegalArgumentException("MaxMarginTraining: no data");
        }
        if (!(alpha >= 0.0)) {
            throw new IllegalArgumentException("MaxMarginTraining: alpha must be >= 0, got " + alpha);
        }
        this.model = model;
        this.data = List.copyOf(data);
        this.labels = data.stream().mapToInt(LabeledPoint::label).toArray();
        this.alpha = alpha;
    }

    /** micrograd's schedule: the learning rate falls linearly from 1.0 at step 0 towards 0.1 at step {@code steps}. */
    public static double linearDecay(int step, int steps) {
        return 1.0 - 0.9 * step / steps;
    }

    /** The model's score for a point; its sign is the predicted class. */
    public double score(double x, double y) {
        return model.apply(x, y).get(0).data();
    }

    /** Loss and accuracy on the training set with the current parameters. */
    public Metrics evaluate() {
        List<Value> scores = scores();
        return new Metrics(loss(scores).data(), Losses.accuracy(scores, labels));
    }

    /**
     * One gradient-descent step on the whole training set.
     *
     * @param learningRate the step size
     * @return loss and accuracy before the update (what micrograd's demo prints)
     */
    public Metrics step(double learningRate) {
        List<Value> scores = scores();
        Value loss = loss(scores);
        model.zeroGrad();
        loss.backward();
        model.sgdStep(learningRate);
        return new Metrics(loss.data(), Losses.accuracy(scores, labels));
    }

    private List<Value> scores() {
        List<Value> scores = new ArrayList<>(data.size());
        for (LabeledPoint p : data) {
            scores.add(model.apply(p.x(), p.y()).get(0));
        }
        return scores;
    }

    private Value loss(List<Value> scores) {
        return Losses.maxMargin(scores, labels).add(Losses.l2(model.parameters(), alpha));
    }
}
