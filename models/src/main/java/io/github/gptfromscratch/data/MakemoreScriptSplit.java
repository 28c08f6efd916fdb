package io.github.gptfromscratch.data;

import java.util.List;

/**
 * The train/test split of {@code makemore.py} (the script, whose default model is a small Transformer):
 * a seeded random permutation of the words, the last {@code min(1000, int(0.1 * N))} of them the test set,
 * the rest the training set. There is no separate validation set; the script evaluates on the test set.
 *
 * @param train the words to train on (31,033 of names.txt)
 * @param test the held-out words (1,000 of names.txt)
 */
public record MakemoreScriptSplit(List<String> train, List<String> test) {

    /** Keeps unmodifiable copies of the lists. */
    public MakemoreScriptSplit {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }
}
