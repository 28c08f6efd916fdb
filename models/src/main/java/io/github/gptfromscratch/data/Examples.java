package io.github.gptfromscratch.data;

import io.github.gptfromscratch.tensor.IntTensor;
import java.util.Arrays;

/**
 * A set of next-token examples. Either row {@code i} of {@code x} is a context of {@code blockSize} token
 * ids and {@code y[i]} is the token that follows it ({@code y [N]}, the notebooks' models), or row
 * {@code i} is a whole sequence and {@code y[i, t]} the token after position {@code t}, -1 where nothing
 * is to be predicted ({@code y [N, blockSize]}, makemore.py's Transformer).
 *
 * <pre>{@code
 * Examples train = names.examples(split.train(), 3); // x [182625, 3], y [182625]
 * Batch batch = Batches.sample(train, rng, 32);
 * }</pre>
 *
 * @param x contexts, {@code [N, blockSize]}
 * @param y next tokens, {@code [N]} or {@code [N, blockSize]}
 */
public record Examples(IntTensor x, IntTensor y) {

    /** Checks that {@code x} is {@code [N, blockSize]} and {@code y} is {@code [N]} or {@code [N, blockSize]}. */
    public Examples {
        boolean perRow = y.dim() == 1;
        boolean perPosition = y.dim() == 2 && x.dim() == 2 && y.size(1) == x.size(1);
        if (x.dim() != 2 || !(perRow || perPosition) || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("Examples: x must be [N, blockSize] and y [N] or [N, blockSize], got x "
                    + Arrays.toString(x.shape()) + " and y " + Arrays.toString(y.shape()));
        }
    }

    /** Number of examples, N. */
    public int size() {
        return y.size(0);
    }

    /** Context length, the second size of {@code x}. */
    public int blockSize() {
        return x.size(1);
    }
}
