package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#forRange}: every item runs exactly once whichever thread claims a chunk (the helper,
 * or the caller when the helper has not started it), failures reach the caller, nested regions stay
 * serial, and small work never leaves the caller.
 */
class ParallelTest {

    private int saved;

    @BeforeEach
    void useAllThreads() {
        saved = Parallel.threads();
        Assumptions.assumeTrue(Parallel.poolThreads() >= 2, "needs a pool of at least 2 threads");
        Parallel.setThreads(Parallel.poolThreads());
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void everyItemRunsExactlyOnceAcrossManyRegions() {
        // Thousands of short regions back to back: chunks are claimed by the helper or by the caller,
        // and a late claim must never run a chunk twice or pick up the fields of the next region.
        int n = 64;
        for (int region = 0; region < 20_000; region++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(n);
            int work = region % 7;
            Parallel.forRange(n, Parallel.MIN_WORK_PER_CHUNK, (start, end) -> {
                for (int i = start; i < end; i++) {
                    runs.incrementAndGet(i);
                    for (int spin = 0; spin < work * 50; spin++) {
                        Thread.onSpinWait();
                    }
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, runs.get(i), "region " + region + ": item " + i + " ran " + runs.get(i) + " times");
            }
        }
    }

    @Test
    void aFailureInAnyChunkReachesTheCallerAndThePoolKeepsWorking() {
        int n = 8;
        for (int failing = 0; failing < n; failing++) {
            int bad = failing;
            IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                    Parallel.forRange(n, Parallel.MIN_WORK_PER_CHUNK, (start, end) -> {
                        if (bad >= start && bad < end) {
                            throw new IllegalStateException("item " + bad);
                        }
                    }));
            assertEquals("item " + bad, e.getMessage());
        }
        AtomicInteger done = new AtomicInteger();
        Parallel.forRange(n, Parallel.MIN_WORK_PER_CHUNK, (start, end) -> done.addAndGet(end - start));
        assertEquals(n, done.get());
    }

    @Test
    void aRegionInsideAnotherRunsSeriallyOnItsThread() {
        int n = 4;
        AtomicInteger inner = new AtomicInteger();
        Parallel.forRange(n, Parallel.MIN_WORK_PER_CHUNK, (start, end) -> {
            Thread outer = Thread.currentThread();
            for (int item = start; item < end; item++) {
                Parallel.forRange(100, Parallel.MIN_WORK_PER_CHUNK, (s, e) -> {
                    assertSame(outer, Thread.currentThread(), "a nested region left its thread");
                    inner.addAndGet(e - s);
                });
            }
        });
        assertEquals(n * 100, inner.get());
    }

    @Test
    void smallWorkStaysOnTheCaller() {
        assertEquals(1, Parallel.chunksFor(1000, 1));
        Thread caller = Thread.currentThread();
        Parallel.forRange(1000, 1, (start, end) -> {
            assertSame(caller, Thread.currentThread());
            assertEquals(0, start);
            assertEquals(1000, end);
        });
        assertTrue(Parallel.chunksFor(1000, Parallel.MIN_WORK_PER_CHUNK) >= 2);
    }
}
