package io.github.gptfromscratch.data;

import io.github.gptfromscratch.tensor.IntTensor;
import java.util.Arrays;

/**
 * One minibatch of inputs and targets. For the names models {@code x} is {@code [B, blockSize]} and
 * {@code y} is {@code [B]}; for the text models both are {@code [B, T]}, {@code y} being {@code x}
 * shifted one token ahead.
 *
 * @param x input token ids, {@code [B, ...]}
 * @param y target token ids, {@code [B, ...]}
 */
public record Batch(IntTensor x, IntTensor y) {

    /** Checks that inputs and targets have the same number of rows. */
    public Batch {
        if (x.dim() < 1 || y.dim() < 1 || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("Batch: x and y must have the same number of rows, got x "
                    + Arrays.toString(x.shape()) + " and y " + Arrays.toString(y.shape()));
        }
    }

    /** Number of rows, B. */
    public int size() {
        return x.size(0);
    }
}
