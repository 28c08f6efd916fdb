package io.github.gptfromscratch.models;

import io.github.gptfromscratch.autograd.Indexing;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.nn.Module;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

/**
 * makemore part 1's neural bigram: one weight matrix {@code W [vocab, vocab]}, logits =
 * one-hot(previous)·W. The product with a one-hot vector just selects a row of W, so the row is looked up
 * directly (same values and gradients, without the 27-fold wasted multiply). The objective adds
 * {@code regularization · mean(W²)}, which pulls the rows toward uniform as +1 smoothing does for counts.
 *
 * <pre>{@code
 * NeuralBigram model = new NeuralBigram(27, 0.01f, new Rng(2147483647));
 * try (Tape tape = Tape.record()) {
 *     Var loss = model.loss(all.x(), all.y());
 *     tape.backward(loss);
 * }
 * new Sgd(model.namedParameters()).step(50);          // the lecture's learning rate
 * }</pre>
 */
public final class NeuralBigram extends Module implements NameModel {

    /** The lecture's regularisation strength. */
    public static final float LECTURE_REGULARIZATION = 0.01f;

    private final Var weights;
    private final float regularization;

    /**
     * W drawn from N(0, 1), as {@code torch.randn((27, 27))}.
     *
     * @throws IllegalArgumentException if {@code vocab < 1} or the regularisation is negative
     */
    public NeuralBigram(int vocab, float regularization, Rng rng) {
        if (vocab < 1) {
            throw new IllegalArgumentException("NeuralBigram: vocab must be positive, got " + vocab);
        }
        if (!(regularization >= 0) || Float.isInfinite(regularization)) {
            throw new IllegalArgumentException("NeuralBigram: regularization must be finite and >= 0, got "
                    + regularization);
        }
        this.weights = parameter("W", Tensor.randn(rng, vocab, vocab));
        this.regularization = regularization;
    }

    /** W, {@code [vocab, vocab]}: row i holds the logits after token i. */
    public Var weights() {
        return weights;
    }

    @Override
    public int blockSize() {
        return 1;
    }

    @Override
    public int vocabSize() {
        return weights.shape()[0];
    }

    @Override
    public Var logits(IntTensor x) {
        checkContexts("NeuralBigram", x);
        return Indexing.embedding(weights, x.reshape(x.size(0)));
    }

    /** Cross-entropy plus {@code regularization · mean(W²)}. */
    @Override
    public Var loss(IntTensor x, IntTensor y) {
        Var nll = logits(x).crossEntropy(y);
        return regularization == 0 ? nll : nll.add(weights.mul(weights).mean().mul(regularization));
    }

    /** Part 1 samples with {@code torch.multinomial(p, num_samples=1, replacement=True)}. */
    @Override
    public boolean samplesWithReplacement() {
        return true;
    }
}
