package io.github.gptfromscratch.models;

import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * makemore part 1's counting model: how often each character follows each other one, with the
 * boundary token {@code '.'} before the first and after the last character of every word. Probabilities
 * are the counts plus a smoothing constant, normalised per row.
 *
 * <pre>{@code
 * BigramCounts model = BigramCounts.fit(words, tokenizer, 1);
 * double nll = model.nll(words);                     // 2.4546 on names.txt
 * String name = NameSampler.sample(model, tokenizer, rng, 50);
 * }</pre>
 */
public final class BigramCounts implements NameModel {

    private final int[][] counts;
    private final float smoothing;
    private final CharTokenizer tokenizer;
    /** log P[previous][next], computed once: sampling and evaluation only read it. */
    private final Tensor logProbabilities;

    private BigramCounts(int[][] counts, float smoothing, CharTokenizer tokenizer) {
        this.counts = counts;
        this.smoothing = smoothing;
        this.tokenizer = tokenizer;
        int v = counts.length;
        float[] logP = new float[v * v];
        for (int i = 0; i < v; i++) {
            double rowTotal = 0;
            for (int j = 0; j < v; j++) {
                rowTotal += counts[i][j] + smoothing;
            }
            for (int j = 0; j < v; j++) {
                // An all-zero row without smoothing has no distribution; uniform keeps sampling defined.
                double p = rowTotal > 0 ? (counts[i][j] + smoothing) / rowTotal : 1.0 / v;
                logP[i * v + j] = (float) Math.log(p);
            }
        }
        this.logProbabilities = Tensor.of(logP, v, v);
    }

    /**
     * Counts the bigrams of {@code words} (each word framed by {@code '.'} on both sides).
     *
     * @param smoothing added to every count before normalising (the lecture's +1), {@code >= 0}
     * @throws IllegalArgumentException if {@code smoothing} is negative or not finite, or a word has a
     *     character outside the tokenizer's vocabulary
     */
    public static BigramCounts fit(List<String> words, CharTokenizer tokenizer, float smoothing) {
        checkSmoothing(smoothing);
        int v = tokenizer.vocabSize();
        int[][] counts = new int[v][v];
        for (String word : words) {
            int previous = CharTokenizer.BOUNDARY_ID;
            for (int id : tokenizer.encode(word, "BigramCounts: the word \"" + word + "\"")) {
                counts[previous][id]++;
                previous = id;
            }
            counts[previous][CharTokenizer.BOUNDARY_ID]++;
        }
        return new BigramCounts(counts, smoothing, tokenizer);
    }

    /**
     * A model from a stored count matrix (see {@link #countTensor()}).
     *
     * @throws IllegalArgumentException if the matrix is not {@code [vocab, vocab]}, holds a negative or
     *     fractional count, or {@code smoothing} is negative
     */
    public static BigramCounts fromCounts(Tensor countMatrix, CharTokenizer tokenizer, float smoothing) {
        checkSmoothing(smoothing);
        int v = tokenizer.vocabSize();
        if (!Arrays.equals(countMatrix.shape(), new int[] {v, v})) {
            throw new IllegalArgumentException("BigramCounts.fromCounts: count matrix has shape "
                    + Arrays.toString(countMatrix.shape()) + ", expected [" + v + ", " + v + "]");
        }
        float[] flat = countMatrix.contiguous().toArray();
        int[][] counts = new int[v][v];
        for (int i = 0; i < flat.length; i++) {
            float c = flat[i];
            if (!(c >= 0) || c != Math.rint(c)) {
                throw new IllegalArgumentException("BigramCounts.fromCounts: count " + c + " at ["
                        + i / v + ", " + i % v + "] is not a non-negative whole number");
            }
            counts[i / v][i % v] = (int) c;
        }
        return new BigramCounts(counts, smoothing, tokenizer);
    }

    private static void checkSmoothing(float smoothing) {
        if (!(smoothing >= 0) || Float.isInfinite(smoothing)) {
            throw new IllegalArgumentException("BigramCounts: smoothing must be finite and >= 0, got " + smoothing);
        }
    }

    /** How often token {@code next} followed token {@code previous}. */
    public int count(int previous, int next) {
        return counts[previous][next];
    }

    /** The count matrix N as floats, {@code [vocab, vocab]}: what a checkpoint stores. */
    public Tensor countTensor() {
        int v = counts.length;
        float[] flat = new float[v * v];
        for (int i = 0; i < v; i++) {
            for (int j = 0; j < v; j++) {
                flat[i * v + j] = counts[i][j];
            }
        }
        return Tensor.of(flat, v, v);
    }

    /** The smoothing constant added to every count. */
    public float smoothing() {
        return smoothing;
    }

    /** The tokenizer whose ids index the counts. */
    public CharTokenizer tokenizer() {
        return tokenizer;
    }

    /** P(next | previous). */
    public double probability(int previous, int next) {
        return Math.exp(logProbabilities.get(previous, next));
    }

    /**
     * The average negative log-likelihood of every bigram of {@code words}, start and end included, summed
     * in double precision (the lecture's {@code -log_likelihood / n}).
     */
    public double nll(List<String> words) {
        double sum = 0;
        long n = 0;
        for (String word : words) {
            int previous = CharTokenizer.BOUNDARY_ID;
            for (int id : tokenizer.encode(word, "BigramCounts.nll: the word \"" + word + "\"")) {
                sum -= logProbabilities.get(previous, id);
                n++;
                previous = id;
            }
            sum -= logProbabilities.get(previous, CharTokenizer.BOUNDARY_ID);
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException("BigramCounts.nll: there are no words");
        }
        return sum / n;
    }

    @Override
    public int blockSize() {
        return 1;
    }

    @Override
    public int vocabSize() {
        return counts.length;
    }

    /** The rows of log P for the last token of each context: a constant, nothing here is trained. */
    @Override
    public Var logits(IntTensor x) {
        checkContexts("BigramCounts", x);
        return Var.constant(logProbabilities.indexSelect(0, x.reshape(x.size(0))));
    }

    /** Part 1 samples with {@code torch.multinomial(p, num_samples=1, replacement=True)}. */
    @Override
    public boolean samplesWithReplacement() {
        return true;
    }
}
