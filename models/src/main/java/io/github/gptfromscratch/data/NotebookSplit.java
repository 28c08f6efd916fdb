package io.github.gptfromscratch.data;

import java.util.List;

/**
 * The 80/10/10 split of the makemore lecture notebooks (parts 2 to 5), by words:
 * {@code random.seed(42); random.shuffle(words)}, then the first 80% train, the next 10% dev, the last 10%
 * test. The notebooks call the sets {@code Xtr}, {@code Xdev} and {@code Xte}; the dev set is what the
 * loss tables call "val".
 *
 * @param train the first {@code int(0.8 * N)} shuffled words
 * @param dev the words up to {@code int(0.9 * N)}
 * @param test the remaining words
 */
public record NotebookSplit(List<String> train, List<String> dev, List<String> test) {

    /** Keeps unmodifiable copies of the lists. */
    public NotebookSplit {
        train = List.copyOf(train);
        dev = List.copyOf(dev);
        test = List.copyOf(test);
    }
}
