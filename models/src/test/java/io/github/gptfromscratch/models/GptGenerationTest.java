package io.github.gptfromscratch.models;

import io.github.gptfromscratch.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptGenerationTest {

    private static Gpt model() {
        Gpt gpt = new Gpt(new Gpt.Config(20, 16, 2, 2, 16, 0f, true), new Rng(7));
        gpt.eval();
        return gpt;
    }

    @Test
    void cachedAndUncachedGenerationGiveTheSameTokens() {
        Gpt gpt = model();
        int[] prompt = {1, 2, 3};
        // 40 new tokens run well past block_size 16, so the window slides and the cache is rebuilt.
        for (long seed : new long[] {1, 2, 3}) {
            int[] cached = gpt.generate(prompt, 40, 0.8f, 0, new Rng(seed), true);
            int[] uncached = gpt.generate(prompt, 40, 0.8f, 0, new Rng(seed), false);
            assertArrayEquals(uncached, cached, "seed " + seed);
            assertEquals(43, cached.length);
        }
    }

    @Test
    void topKRestrictsTheChoices() {
        Gpt gpt = model();
        int[] out = gpt.generate(new int[] {0}, 30, 1f, 1, new Rng(5), true);
        int[] greedy = gpt.generate(new int[] {0}, 30, 1f, 1, new Rng(99), false);
        assertArrayEquals(greedy, out, "top-1 sampling is greedy whatever the seed");
    }

    @Test
    void concurrentGenerationMatchesSerialGeneration() throws Exception {
        Gpt gpt = model();
        int threads = 4;
        List<int[]> serial = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            serial.add(gpt.generate(new int[] {t}, 30, 1f, 5, new Rng(100 + t), true));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> gpt.generate(new int[] {id}, 30, 1f, 5, new Rng(100 + id), true)));
            }
            for (int t = 0; t < threads; t++) {
                assertArrayEquals(serial.get(t), futures.get(t).get(), "thread " + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheValue() {
        Gpt gpt = model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gpt.generate(new int[] {25}, 5, 1f, 0, new Rng(1), true));
        assertTrue(e.getMessage().contains("25"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpt.generate(new int[0], 5, 1f, 0, new Rng(1), true));
        assertThrows(IllegalArgumentException.class, () -> gpt.generate(new int[] {1}, 5, 0f, 0, new Rng(1), true));
    }

    @Test
    void configIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Gpt.Config(65, 64, 4, 3, 128, 0f, true));
        assertTrue(e.getMessage().contains("n_head=3") && e.getMessage().contains("n_embd=128"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Gpt.Config(65, 0, 4, 4, 128, 0f, true));
        assertThrows(IllegalArgumentException.class, () -> new Gpt.Config(65, 64, 4, 4, 128, 1f, true));
    }
}
