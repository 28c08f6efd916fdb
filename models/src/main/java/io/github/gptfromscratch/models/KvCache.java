package io.github.gptfromscratch.models;

import io.github.gptfromscratch.tensor.Tensor;

/**
 * Keys and values of the positions a {@link Gpt} has already seen during generation, one pair of
 * {@code [1, H, block_size, head]} buffers per layer, so each new token costs one position.
 */
final class KvCache {

    /** One layer's buffers. */
    final class Layer {
        private final Tensor keys;
        private final Tensor values;

        private Layer(Gpt.Config c) {
            keys = Tensor.zeros(1, c.nHead(), c.blockSize(), c.headSize());
            values = Tensor.zeros(1, c.nHead(), c.blockSize(), c.headSize());
        }

        /** Stores keys {@code [1, H, t, hs]} after the cached ones; returns a view of all of them. */
        Tensor appendKeys(Tensor k) {
            return append(keys, k);
        }

        /** Stores values {@code [1, H, t, hs]} after the cached ones; returns a view of all of them. */
        Tensor appendValues(Tensor v) {
            return append(values, v);
        }

        private Tensor append(Tensor buffer, Tensor fresh) {
            int t = fresh.size(2);
            buffer.slice(2, length, length + t).copyFrom(fresh);
            return buffer.slice(2, 0, length + t);
        }
    }

    private final Layer[] layers;
    private int length;
    private int start;

    KvCache(Gpt.Config config) {
        layers = new Layer[config.nLayer()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer(config);
        }
    }

    Layer layer(int i) {
        return layers[i];
    }

    /** Number of cached positions. */
    int length() {
        return length;
    }

    /** Index in the generated sequence of the first cached position. */
    int start() {
        return start;
    }

    /** Empties the cache; the next positions stored start at sequence index {@code start}. */
    void reset(int start) {
        this.start = start;
        this.length = 0;
    }

    /** Marks {@code t} more positions as cached (after every layer appended them). */
    void advance(int t) {
        length += t;
    }
}
