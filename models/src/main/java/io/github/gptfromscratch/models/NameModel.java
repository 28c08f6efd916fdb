package io.github.gptfromscratch.models;

import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.data.Examples;
import io.github.gptfromscratch.tensor.IntTensor;

/**
 * A next-character model of the makemore journey: it reads the last {@link #blockSize()} token ids of
 * a word (left-padded with the boundary token {@code '.'}, id 0) and scores every next token.
 *
 * <pre>{@code
 * NameModel model = new MlpLanguageModel(MlpLanguageModel.Config.part2(27), rng);
 * Var logits = model.logits(batch.x());            // [B, vocab]
 * double val = model.meanLoss(dev, 4096);           // average NLL over a whole split
 * }</pre>
 */
public interface NameModel {

    /** How many previous tokens the model reads. */
    int blockSize();

    /** Number of tokens it scores. */
    int vocabSize();

    /** Unnormalised log-probabilities of the next token, {@code [B, vocab]}, for contexts {@code x [B, blockSize]}. */
    Var logits(IntTensor x);

    /**
     * Checks that {@code x} is a batch of contexts {@code [B, blockSize()]}; the error names the model
     * ({@code who}) and the shape it got.
     */
    default void checkContexts(String who, IntTensor x) {
        if (x.dim() != 2 || x.size(1) != blockSize()) {
            throw new IllegalArgumentException(who + ".logits: contexts must be [B, " + blockSize() + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
    }

    /**
     * The training objective on a batch; the average cross-entropy unless a model adds a regulariser
     * (the neural bigram does).
     */
    default Var loss(IntTensor x, IntTensor y) {
        return logits(x).crossEntropy(y);
    }

    /**
     * The average negative log-likelihood of every example, computed in chunks of {@code chunkSize} rows
     * so a whole split never needs one huge activation. Call it outside a recording tape, and in
     * evaluation mode for models with BatchNorm.
     *
     * @throws IllegalArgumentException if the context length differs from {@link #blockSize()}, the split
     *     is empty or {@code chunkSize < 1}
     */
    default double meanLoss(Examples examples, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("meanLoss: chunk size must be at least 1, got " + chunkSize);
        }
        if (examples.blockSize() != blockSize()) {
            throw new IllegalArgumentException("meanLoss: examples have context " + examples.blockSize()
                    + " but the model reads " + blockSize());
        }
        int n = examples.size();
        if (n == 0) {
            throw new IllegalArgumentException("meanLoss: there are no examples");
        }
        int t = examples.blockSize();
        int[] xs = examples.x().data();
        int[] ys = examples.y().data();
        double total = 0;
        for (int start = 0; start < n; start += chunkSize) {
            int rows = Math.min(chunkSize, n - start);
            int[] x = java.util.Arrays.copyOfRange(xs, start * t, (start + rows) * t);
            int[] y = java.util.Arrays.copyOfRange(ys, start, start + rows);
            float chunkMean = logits(IntTensor.of(x, rows, t)).crossEntropy(IntTensor.of(y, rows)).value().item();
            total += (double) chunkMean * rows;
        }
        return total / n;
    }

    /**
     * Whether its lecture samples with {@code torch.multinomial(p, 1, replacement=True)} (makemore part 1's
     * bigrams) rather than the default {@code replacement=False}. One sample is distributed the same either
     * way, but PyTorch's generator draws it by a different algorithm, so the flag decides which names a
     * {@code Rng.pytorch} seed gives.
     */
    default boolean samplesWithReplacement() {
        return false;
    }
}
