package io.github.gptfromscratch.data;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;

/**
 * Seeded minibatch sampling from a set of {@link Examples}.
 *
 * <pre>{@code
 * Rng rng = new Rng(2147483647);
 * Batch batch = Batches.sample(train, rng, 32); // x [32, blockSize], y [32]
 * }</pre>
 */
public final class Batches {

    private Batches() {
    }

    /**
     * {@code batchSize} rows drawn uniformly with replacement (as {@code torch.randint(0, N, (B,))} does in
     * the makemore notebooks), each index by {@code rng.nextInt(N)} in order; the same generator state
     * always gives the same batch.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1} or there are no examples
     */
    public static Batch sample(Examples examples, Rng rng, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batches.sample: batch size must be at least 1, got " + batchSize);
        }
        int n = examples.size();
        if (n == 0) {
            throw new IllegalArgumentException("Batches.sample: there are no examples to sample from");
        }
        int blockSize = examples.blockSize();
        int[] xs = examples.x().data();
        int[] ys = examples.y().data();
        int yWidth = examples.y().dim() == 1 ? 1 : blockSize;
        int[] bx = new int[Math.multiplyExact(batchSize, blockSize)];
        int[] by = new int[Math.multiplyExact(batchSize, yWidth)];
        for (int b = 0; b < batchSize; b++) {
            int row = rng.nextInt(n);
            System.arraycopy(xs, row * blockSize, bx, b * blockSize, blockSize);
            System.arraycopy(ys, row * yWidth, by, b * yWidth, yWidth);
        }
        IntTensor y = yWidth == 1 ? IntTensor.of(by, batchSize) : IntTensor.of(by, batchSize, blockSize);
        return new Batch(IntTensor.of(bx, batchSize, blockSize), y);
    }
}
