package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Parallel;
import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.internal.kernels.BinaryOp;
import io.github.gptfromscratch.tensor.internal.kernels.Kernels;

import java.util.Arrays;

/** Layer norm and batch norm, each with a fused forward and backward. */
public final class Normalization {

    private Normalization() {
    }

    /**
     * Layer norm over the last axis: (x − mean) / √(var + eps) · weight + bias, with the biased
     * variance, as {@code nn.LayerNorm}; {@code weight} and {@code bias} may be null.
     */
    public static Var layerNorm(Var x, Var weight, Var bias, float eps) {
        Tensor xv = x.value().contiguous();
        int[] shape = xv.shape();
        int c = shape[shape.length - 1];
        checkChannels("layerNorm", shape, weight, bias);
        int rows = xv.numel() / c;
        float[] xd = xv.storage();
        int xo = xv.offset();
        float[] w = weight == null ? null : weight.value().contiguous().toArray();
        float[] b = bias == null ? null : bias.value().contiguous().toArray();
        Tensor out = Tensor.zeros(shape);
        float[] od = out.storage();
        float[] xhat = new float[rows * c];
        float[] rstd = new float[rows];
        Kernels k = Kernels.get();
        Parallel.forRange(rows, 8L * c, (start, end) -> {
            float[] scalar = new float[1];
            for (int r = start; r < end; r++) {
                int rc = r * c;
                scalar[0] = k.sum(c, xd, xo + rc) / c;
                k.binary(BinaryOp.SUB, c, xd, xo + rc, 1, scalar, 0, 0, xhat, rc); // x − mean
                float rs = (float) (1.0 / Math.sqrt(k.dot(c, xhat, rc, xhat, rc) / c + eps));
                rstd[r] = rs;
                k.scale(c, rs, xhat, rc);
                if (w != null) {
                    k.binary(BinaryOp.MUL, c, xhat, rc, 1, w, 0, 1, od, rc);
                } else {
                    System.arraycopy(xhat, rc, od, rc, c);
                }
                if (b != null) {
                    k.binary(BinaryOp.ADD, c, od, rc, 1, b, 0, 1, od, rc);
                }
            }
        });
        Var[] inputs = inputs(x, weight, bias);
        return Tape.record(out, gOut -> {
            Tensor gc = gOut.contiguous();
            float[] g = gc.storage();
            int go = gc.offset();
            if (x.requiresGrad()) {
                // dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)) with dx̂ = g ⊙ w, row by row
                Tensor dx = Tensor.zeros(shape);
                float[] dxd = dx.storage();
                Parallel.forRange(rows, 10L * c, (start, end) -> {
                    float[] scalar = new float[1];
                    for (int r = start; r < end; r++) {
                        int rc = r * c;
                        if (w != null) {
                            k.binary(BinaryOp.MUL, c, g, go + rc, 1, w, 0, 1, dxd, rc);
                        } else {
                            System.arraycopy(g, go + rc, dxd, rc, c);
                        }
                        float meanD = k.sum(c, dxd, rc) / c;
                        float meanDH = k.dot(c, dxd, rc, xhat, rc) / c;
                        k.axpy(c, -meanDH, xhat, rc, dxd, rc);
                        scalar[0] = -meanD;
                        k.binary(BinaryOp.ADD, c, dxd, rc, 1, scalar, 0, 0, dxd, rc);
                        k.scale(c, rstd[r], dxd, rc);
                    }
                });
                x.accumulate(dx);
            }
            if (weight != null || bias != null) {
                float[] dw = new float[c];
                float[] db = new float[c];
                float[] product = new float[c];
                for (int r = 0; r < rows; r++) {
                    int rc = r * c;
                    k.binary(BinaryOp.MUL, c, g, go + rc, 1, xhat, rc, 1, product, 0);
                    k.axpy(c, 1f, product, 0, dw, 0);
                    k.axpy(c, 1f, g, go + rc, db, 0);
                }
                if (weight != null) {
                    weight.accumulate(Tensor.of(dw, c));
                }
                if (bias != null) {
                    bias.accumulate(Tensor.of(db, c));
                }
            }
        }, inputs);
    }

    /** How batch norm measures a channel's spread, and what its running buffer keeps. */
    public enum BatchNormStyle {
        /**
         * {@code nn.BatchNorm1d}: normalise by √(biased variance + eps); the running buffer averages the
         * unbiased variance and evaluation normalises by √(running + eps).
         */
        PYTORCH,
        /**
         * makemore part 3's hand-written layer: normalise by √(unbiased variance + eps) (the notebook's
         * {@code std(0)} with eps 0); the running buffer averages that standard deviation and evaluation
         * divides by it, so training and evaluation scale alike.
         */
        LECTURE,
        /**
         * makemore part 5's hand-written layer: normalise by √(unbiased variance + eps) (the notebook's
         * {@code x.var(dim)}); the running buffer averages that variance and evaluation normalises by
         * √(running + eps), as {@code PYTORCH} does.
         */
        UNBIASED
    }

    /**
     * Batch norm over every axis but the last (channels last: [N, C] or [N, L, C]), as
     * {@code nn.BatchNorm1d} ({@link BatchNormStyle#PYTORCH}).
     *
     * <p>In training the batch statistics normalise and the running statistics move toward them:
     * {@code running = (1 − momentum)·running + momentum·batch}. In evaluation the running statistics
     * normalise and nothing is updated. {@code gamma} and {@code beta} may be null.
     *
     * <p>The statistics are per channel, i.e. down the columns of the [rows, C] input: every pass below
     * walks the rows and applies one row-long vector kernel to each (a row of x against the vector of
     * channel means, say), rather than visiting element by element, so the whole op is a handful of
     * streaming passes over memory in the makemore shapes (C = 128, a few hundred rows).
     */
    public static Var batchNorm(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar,
                                float momentum, float eps, boolean training) {
        return batchNorm(x, gamma, beta, runningMean, runningVar, momentum, eps, training, BatchNormStyle.PYTORCH);
    }

    /**
     * Batch norm in the given style; {@code runningVar} holds the running variance ({@code PYTORCH},
     * {@code UNBIASED}) or standard deviation ({@code LECTURE}).
     */
    public static Var batchNorm(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar,
                                float momentum, float eps, boolean training, BatchNormStyle style) {
        Tensor xv = x.value().contiguous();
        int[] shape = xv.shape();
        int c = shape[shape.length - 1];
        checkChannels("batchNorm", shape, gamma, beta);
        if (runningMean.numel() != c || runningVar.numel() != c) {
            throw new IllegalArgumentException("batchNorm: running statistics of shapes "
                    + Arrays.toString(runningMean.shape()) + " and " + Arrays.toString(runningVar.shape())
                    + " do not match " + c + " channels");
        }
        int n = xv.numel() / c;
        if (training && n < 2) {
            throw new IllegalArgumentException("batchNorm: training needs more than one value per channel, got "
                    + "input of shape " + Arrays.toString(shape));
        }
        float[] xd = xv.storage();
        int xo = xv.offset();
        Kernels k = Kernels.get();
        // x̂ = (x − mean)·rstd, kept for the backward pass; first x − mean, scaled once rstd is known.
        float[] xhat = new float[n * c];
        // the variance's divisor (biased or unbiased), which the backward pass shares
        int divisor = style == BatchNormStyle.PYTORCH ? n : n - 1;
        float[] mean;
        float[] rstd = new float[c];
        if (training) {
            mean = new float[c];
            for (int r = 0; r < n; r++) {
                k.axpy(c, 1f, xd, xo + r * c, mean, 0);
            }
            k.scale(c, 1f / n, mean, 0);
            // Two passes (centre, then square) as the variance of nearly constant channels needs.
            float[] var = new float[c];
            float[] square = new float[c];
            for (int r = 0; r < n; r++) {
                k.binary(BinaryOp.SUB, c, xd, xo + r * c, 1, mean, 0, 1, xhat, r * c);
                k.binary(BinaryOp.MUL, c, xhat, r * c, 1, xhat, r * c, 1, square, 0);
                k.axpy(c, 1f, square, 0, var, 0);
            }
            k.scale(c, 1f / divisor, var, 0);
            float[] spread = new float[c];
            for (int i = 0; i < c; i++) {
                double std = Math.sqrt(var[i] + eps);
                rstd[i] = (float) (1.0 / std);
                spread[i] = switch (style) {
                    case LECTURE -> (float) std;
                    case UNBIASED -> var[i];
                    case PYTORCH -> var[i] * n / (n - 1);
                };
            }
            runningMean.mulInPlace(1f - momentum).axpyInPlace(momentum, Tensor.of(mean, c).reshape(runningMean.shape()));
            runningVar.mulInPlace(1f - momentum).axpyInPlace(momentum, Tensor.of(spread, c).reshape(runningVar.shape()));
        } else {
            mean = runningMean.contiguous().toArray();
            float[] rv = runningVar.contiguous().toArray();
            for (int i = 0; i < c; i++) {
                rstd[i] = (float) (style == BatchNormStyle.LECTURE ? 1.0 / rv[i] : 1.0 / Math.sqrt(rv[i] + eps));
            }
            for (int r = 0; r < n; r++) {
                k.binary(BinaryOp.SUB, c, xd, xo + r * c, 1, mean, 0, 1, xhat, r * c);
            }
        }
        float[] gm = gamma == null ? null : gamma.value().contiguous().toArray();
        float[] bt = beta == null ? null : beta.value().contiguous().toArray();
        Tensor out = Tensor.zeros(shape);
        float[] od = out.storage();
        for (int r = 0; r < n; r++) {
            int rc = r * c;
            k.binary(BinaryOp.MUL, c, xhat, rc, 1, rstd, 0, 1, xhat, rc);
            if (gm != null) {
                k.binary(BinaryOp.MUL, c, xhat, rc, 1, gm, 0, 1, od, rc);
            } else {
                System.arraycopy(xhat, rc, od, rc, c);
            }
            if (bt != null) {
                k.binary(BinaryOp.ADD, c, od, rc, 1, bt, 0, 1, od, rc);
            }
        }
        return Tape.record(out, gOut -> {
            Tensor gc = gOut.contiguous();
            float[] g = gc.storage();
            int go = gc.offset();
            // Σ g and Σ g·x̂ per channel: beta's and gamma's gradients, and the two means dx needs.
            float[] sumG = new float[c];
            float[] sumGH = new float[c];
            float[] product = new float[c];
            for (int r = 0; r < n; r++) {
                k.axpy(c, 1f, g, go + r * c, sumG, 0);
                k.binary(BinaryOp.MUL, c, g, go + r * c, 1, xhat, r * c, 1, product, 0);
                k.axpy(c, 1f, product, 0, sumGH, 0);
            }
            if (x.requiresGrad()) {
                // dx = γ·rstd · (g − mean(g) − x̂·Σ(g·x̂)/divisor) in training, where the statistics depend
                // on x; in evaluation they are constants and dx = γ·rstd·g.
                float[] scale = rstd.clone();
                if (gm != null) {
                    k.binary(BinaryOp.MUL, c, scale, 0, 1, gm, 0, 1, scale, 0);
                }
                float[] meanG = sumG.clone();
                float[] meanGH = sumGH.clone();
                k.scale(c, 1f / n, meanG, 0);
                k.scale(c, 1f / divisor, meanGH, 0);
                Tensor dx = Tensor.zeros(shape);
                float[] dxd = dx.storage();
                for (int r = 0; r < n; r++) {
                    int rc = r * c;
                    if (training) {
                        k.binary(BinaryOp.MUL, c, xhat, rc, 1, meanGH, 0, 1, dxd, rc);
                        k.binary(BinaryOp.SUB, c, g, go + rc, 1, dxd, rc, 1, dxd, rc);
                        k.binary(BinaryOp.SUB, c, dxd, rc, 1, meanG, 0, 1, dxd, rc);
                        k.binary(BinaryOp.MUL, c, dxd, rc, 1, scale, 0, 1, dxd, rc);
                    } else {
                        k.binary(BinaryOp.MUL, c, g, go + rc, 1, scale, 0, 1, dxd, rc);
                    }
                }
                x.accumulate(dx);
            }
            if (gamma != null) {
                gamma.accumulate(Tensor.of(sumGH, c).reshape(gamma.shape()));
            }
            if (beta != null) {
                beta.accumulate(Tensor.of(sumG, c).reshape(beta.shape()));
            }
        }, inputs(x, gamma, beta));
    }

    private static void checkChannels(String op, int[] shape, Var weight, Var bias) {
        int c = shape[shape.length - 1];
        for (Var p : new Var[] {weight, bias}) {
            if (p != null && p.value().numel() != c) {
                throw new IllegalArgumentException(op + ": parameter of shape " + Arrays.toString(p.shape())
                        + " does not match the " + c + " channels of input " + Arrays.toString(shape));
            }
        }
    }

    private static Var[] inputs(Var x, Var weight, Var bias) {
        if (weight == null && bias == null) {
            return new Var[] {x};
        }
        if (bias == null) {
            return new Var[] {x, weight};
        }
        if (weight == null) {
            return new Var[] {x, bias};
        }
        return new Var[] {x, weight, bias};
    }
}
