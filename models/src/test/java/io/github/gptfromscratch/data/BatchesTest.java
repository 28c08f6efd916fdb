package io.github.gptfromscratch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import org.junit.jupiter.api.Test;

class BatchesTest {

    /** Ten examples whose context row i is [i, 100 + i] and whose target is 1000 + i, so rows are recognisable. */
    private static Examples numbered(int n) {
        int[] x = new int[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 100 + i;
            y[i] = 1000 + i;
        }
        return new Examples(IntTensor.of(x, n, 2), IntTensor.of(y, n));
    }

    @Test
    void rowsAreThoseAtTheIndicesTheGeneratorDraws() {
        long seed = 2147483647L;
        Batch batch = Batches.sample(numbered(10), new Rng(seed), 32);

        assertArrayEquals(new int[] {32, 2}, batch.x().shape());
        assertArrayEquals(new int[] {32}, batch.y().shape());
        Rng expected = new Rng(seed);
        for (int b = 0; b < 32; b++) {
            int row = expected.nextInt(10);
            assertEquals(row, batch.x().get(b, 0), "seed " + seed + ", row " + b);
            assertEquals(100 + row, batch.x().get(b, 1), "seed " + seed + ", row " + b);
            assertEquals(1000 + row, batch.y().get(b), "seed " + seed + ", row " + b);
        }
    }

    @Test
    void sequenceExamplesBringTheirWholeTargetRow() {
        // row i: x = [i, 100 + i, 200 + i], y = [1000 + i, 1100 + i, -1]
        int n = 7;
        int[] x = new int[n * 3];
        int[] y = new int[n * 3];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < 3; t++) {
                x[3 * i + t] = 100 * t + i;
                y[3 * i + t] = t == 2 ? -1 : 1000 + 100 * t + i;
            }
        }
        Batch batch = Batches.sample(new Examples(IntTensor.of(x, n, 3), IntTensor.of(y, n, 3)), new Rng(5), 9);
        assertArrayEquals(new int[] {9, 3}, batch.y().shape());
        Rng expected = new Rng(5);
        for (int b = 0; b < 9; b++) {
            int row = expected.nextInt(n);
            assertEquals(row, batch.x().get(b, 0));
            assertEquals(1000 + row, batch.y().get(b, 0));
            assertEquals(1100 + row, batch.y().get(b, 1));
            assertEquals(-1, batch.y().get(b, 2));
        }
        assertThrows(IllegalArgumentException.class,
                () -> new Examples(IntTensor.of(x, n, 3), IntTensor.of(new int[n * 2], n, 2)));
    }

    @Test
    void restoringTheGeneratorStateRepeatsTheBatch() {
        Examples examples = numbered(50);
        Rng rng = new Rng(7);
        Batches.sample(examples, rng, 4);
        String state = rng.state();
        Batch next = Batches.sample(examples, rng, 8);
        Rng resumed = new Rng(0);
        resumed.setState(state);
        assertEquals(next, Batches.sample(examples, resumed, 8));
    }

    @Test
    void rejectsEmptyBatchesAndEmptySets() {
        var e = assertThrows(IllegalArgumentException.class, () -> Batches.sample(numbered(3), new Rng(1), 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Batches.sample(numbered(0), new Rng(1), 4));
    }

    @Test
    void examplesAndBatchesCheckTheirShapes() {
        assertThrows(IllegalArgumentException.class,
                () -> new Examples(IntTensor.zeros(3, 2), IntTensor.zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> new Examples(IntTensor.zeros(6), IntTensor.zeros(6)));
        assertThrows(IllegalArgumentException.class, () -> new Batch(IntTensor.zeros(3, 2), IntTensor.zeros(2, 2)));
    }
}
