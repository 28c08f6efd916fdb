package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Embedding lookups and their gradients, gather, masked fill, and concat/split/stack round trips. */
final class IndexingAndJoiningTest {

    private static Tensor range(int... shape) {
        return Tensor.arange(Shapes.numel(shape)).view(shape);
    }

    @Test
    void indexSelectIsAnEmbeddingLookupWithRepeats() {
        Tensor table = range(5, 3);
        IntTensor ids = IntTensor.of(new int[] {4, 0, 4, 2}, 2, 2);
        Tensor e = table.indexSelect(0, ids);
        assertArrayEquals(new int[] {2, 2, 3}, e.shape());
        assertArrayEquals(new float[] {12, 13, 14, 0, 1, 2, 12, 13, 14, 6, 7, 8}, e.toArray());
        // The same from a transposed (non-contiguous) table along its other axis.
        Tensor cols = table.t().indexSelect(1, IntTensor.of(new int[] {1, 1, 3}, 3));
        assertArrayEquals(new int[] {3, 3}, cols.shape());
        assertArrayEquals(new float[] {3, 3, 9, 4, 4, 10, 5, 5, 11}, cols.toArray());
    }

    @Test
    void indexAddSumsRepeatedIndices() {
        Tensor grad = Tensor.zeros(5, 3);
        IntTensor ids = IntTensor.of(new int[] {4, 0, 4, 2}, 2, 2);
        Tensor upstream = range(2, 2, 3);
        assertSame(grad, grad.indexAddInPlace(0, ids, upstream));
        assertArrayEquals(new float[] {3, 4, 5, 0, 0, 0, 9, 10, 11, 0, 0, 0, 6, 8, 10}, grad.toArray());

        // Along axis 1, into a target that is a view (a slice of a bigger buffer).
        Tensor big = Tensor.ones(3, 4);
        Tensor target = big.slice(0, 1, 3); // [2,4], offset 4
        target.indexAddInPlace(1, IntTensor.of(new int[] {3, 3, 0}, 3), range(2, 3));
        assertArrayEquals(new float[] {1, 1, 1, 1, 3, 1, 1, 2, 6, 1, 1, 8}, big.toArray());
    }

    @Test
    void gatherPicksAlongAnAxis() {
        Tensor x = range(3, 4);
        Tensor g = x.gather(1, IntTensor.of(new int[] {3, 0, 1, 1, 2, 2}, 3, 2));
        assertArrayEquals(new float[] {3, 0, 5, 5, 10, 10}, g.toArray());
        Tensor g0 = x.t().gather(0, IntTensor.of(new int[] {2, 0}, 1, 2)); // [x.t()[2][0], x.t()[0][1]]
        assertArrayEquals(new float[] {2, 4}, g0.toArray());
    }

    @Test
    void maskedFillBroadcastsTheMask() {
        Tensor x = range(2, 3);
        Tensor causal = Tensor.of(new float[] {0, 1, 1}, 1, 3);
        assertArrayEquals(new float[] {0, -1, -1, 3, -1, -1}, x.maskedFill(causal, -1f).toArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, x.toArray(), "maskedFill must not modify its input");
        assertArrayEquals(new float[] {0, 9, 1, 9, 2, 9}, x.t().maskedFill(Tensor.of(new float[] {0, 1}), 9f).toArray());
    }

    @Test
    void concatSplitStackRoundTrip() {
        Rng rng = new Rng(7);
        Tensor a = Tensor.randn(rng, 2, 3, 4);
        Tensor b = Tensor.randn(rng, 2, 5, 4).transpose(0, 2).transpose(0, 2); // same shape, odd route
        Tensor c = Tensor.randn(rng, 4, 1, 2).permute(2, 1, 0); // [2,1,4], strided
        Tensor joined = Tensor.concat(1, a, b, c);
        assertArrayEquals(new int[] {2, 9, 4}, joined.shape());
        Tensor[] parts = joined.split(-2, 3, 5, 1);
        assertArrayEquals(a.toArray(), parts[0].toArray());
        assertArrayEquals(b.toArray(), parts[1].toArray());
        assertArrayEquals(c.toArray(), parts[2].toArray());
        assertSame(joined.storage(), parts[1].storage(), "split returns views");

        Tensor s = Tensor.stack(1, a, a.mul(2f));
        assertArrayEquals(new int[] {2, 2, 3, 4}, s.shape());
        assertArrayEquals(a.toArray(), s.select(1, 0).toArray());
        assertArrayEquals(a.mul(2f).toArray(), s.select(1, 1).toArray());
        assertArrayEquals(new int[] {2, 3, 4, 2}, Tensor.stack(-1, a, a).shape());
        assertEquals(a.get(1, 2, 3), Tensor.stack(-1, a, a).get(1, 2, 3, 1));
    }

    @Test
    void indexSelectBackwardMatchesForward() {
        // <indexSelect(W), G> = <W, indexAdd(0, G)>: the adjoint identity for random W and G.
        long seed = 99;
        Rng rng = new Rng(seed);
        Tensor w = Tensor.randn(rng, 7, 5);
        IntTensor ids = IntTensor.of(new int[] {6, 1, 1, 3, 6, 6}, 2, 3);
        Tensor g = Tensor.randn(rng, 2, 3, 5);
        double lhs = w.indexSelect(0, ids).mul(g).sum().item();
        double rhs = w.mul(Tensor.zeros(7, 5).indexAddInPlace(0, ids, g)).sum().item();
        assertEquals(lhs, rhs, 1e-4, "seed=" + seed);
    }
}
