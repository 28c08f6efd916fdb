package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Normalization;
import io.github.gptfromscratch.autograd.Normalization.BatchNormStyle;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Tensor;

/**
 * Batch normalisation over every axis but the last (channels last), as {@code nn.BatchNorm1d} with
 * the makemore lectures' layout: training normalises with the batch statistics and moves the running
 * statistics toward them; evaluation normalises with the running statistics. The
 * {@link BatchNormStyle#LECTURE lecture style} is makemore part 3's hand-written layer (unbiased standard
 * deviation, a running standard deviation in the buffer {@code running_std}).
 */
public final class BatchNorm1d extends Layer {

    private final Var weight;
    private final Var bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final float momentum;
    private final float eps;
    private final BatchNormStyle style;

    /** PyTorch's defaults: momentum 0.1, eps 1e-5. */
    public BatchNorm1d(int channels) {
        this(channels, 0.1f, 1e-5f);
    }

    /** With an explicit momentum (the weight of the newest batch in the running statistics) and eps. */
    public BatchNorm1d(int channels, float momentum, float eps) {
        this(channels, momentum, eps, BatchNormStyle.PYTORCH);
    }

    /** With an explicit momentum, eps and style. */
    public BatchNorm1d(int channels, float momentum, float eps, BatchNormStyle style) {
        if (!(momentum >= 0f && momentum <= 1f) || !(eps >= 0f)) {
            throw new IllegalArgumentException("BatchNorm1d: momentum " + momentum + " must be in [0, 1] and eps "
                    + eps + " non-negative");
        }
        this.weight = parameter("weight", Tensor.ones(channels));
        this.bias = parameter("bias", Tensor.zeros(channels));
        this.runningMean = buffer("running_mean", Tensor.zeros(channels));
        this.runningVar = buffer(style == BatchNormStyle.LECTURE ? "running_std" : "running_var", Tensor.ones(channels));
        this.momentum = momentum;
        this.eps = eps;
        this.style = style;
    }

    /** The scale (gamma). */
    public Var weight() {
        return weight;
    }

    /** The running mean, updated in training. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance, or standard deviation in the lecture style, updated in training. */
    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public Var forward(Var x) {
        return Normalization.batchNorm(x, weight, bias, runningMean, runningVar, momentum, eps, isTraining(), style);
    }
}
