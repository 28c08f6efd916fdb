package io.github.gptfromscratch.models;

import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.Arrays;

/** Drawing the next token from a model's logits. */
public final class Sampling {

    private Sampling() {
    }

    /**
     * Samples an index from {@code softmax(logits / temperature)}, restricted to the {@code topK} largest
     * logits when {@code topK > 0} (ties at the k-th value are kept, as nanoGPT's {@code torch.topk} cut does).
     */
    public static int sample(Tensor logits, float temperature, int topK, Rng rng) {
        if (!(temperature > 0f)) {
            throw new IllegalArgumentException("sample: temperature must be > 0, got " + temperature);
        }
        float[] z = logits.contiguous().toArray();
        for (int i = 0; i < z.length; i++) {
            z[i] /= temperature;
        }
        if (topK > 0 && topK < z.length) {
            float[] sorted = z.clone();
            Arrays.sort(sorted);
            float kth = sorted[sorted.length - topK];
            for (int i = 0; i < z.length; i++) {
                if (z[i] < kth) {
                    z[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return Tensor.of(z).softmax(0).reshape(1, z.length).multinomial(rng).get(0);
    }
}
