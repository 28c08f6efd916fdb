package io.github.gptfromscratch.models;

import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import java.util.Arrays;

/**
 * Samples words from a {@link NameModel} as the lectures do: start from a context of
 * {@code blockSize} boundary tokens, draw the next token from the softmax of the logits, shift it into
 * the context, and stop at the boundary token {@code '.'}.
 *
 * <pre>{@code
 * model.eval();
 * String name = NameSampler.sample(model, tokenizer, rng, 50);   // e.g. "kondlaisah"
 * }</pre>
 */
public final class NameSampler {

    private NameSampler() {
    }

    /**
     * One word, without the final {@code '.'}; at most {@code maxLength} characters (a model that never
     * emits the boundary would otherwise never stop). Put BatchNorm models in evaluation mode first: a
     * batch of one has no batch statistics.
     *
     * @throws IllegalArgumentException if {@code maxLength < 1} or the tokenizer's size differs from the model's
     */
    public static String sample(NameModel model, CharTokenizer tokenizer, Rng rng, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("NameSampler.sample: maxLength must be at least 1, got " + maxLength);
        }
        if (tokenizer.vocabSize() != model.vocabSize()) {
            throw new IllegalArgumentException("NameSampler.sample: tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model scores " + model.vocabSize());
        }
        int[] context = new int[model.blockSize()];
        Arrays.fill(context, CharTokenizer.BOUNDARY_ID);
        StringBuilder word = new StringBuilder();
        while (word.length() < maxLength) {
            var logits = model.logits(IntTensor.of(context.clone(), 1, context.length)).value();
            int next = logits.reshape(1, logits.numel()).softmax(1).multinomial(rng, model.samplesWithReplacement())
                    .get(0);
            if (next == CharTokenizer.BOUNDARY_ID) {
                break;
            }
            word.append(tokenizer.decode(new int[] {next}));
            System.arraycopy(context, 1, context, 0, context.length - 1);
            context[context.length - 1] = next;
        }
        return word.toString();
    }
}
