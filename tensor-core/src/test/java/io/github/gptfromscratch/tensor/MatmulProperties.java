package io.github.gptfromscratch.tensor;

import static io.github.gptfromscratch.tensor.Fixtures.randomView;
import static io.github.gptfromscratch.tensor.Fixtures.unflatten;
import static io.github.gptfromscratch.tensor.Fixtures.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** matmul on random layouts, transposes and broadcast batches agrees with a float64 reference. */
final class MatmulProperties {

    /**
     * Relative error bound. It is taken relative to Σ|a·b| per output element, the scale of the
     * float32 rounding error of a dot product (relative to the result itself, cancellation would make
     * any bound meaningless).
     */
    private static final double REL = 1e-5;

    private static final int[] DIMS = {1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 31, 33, 47, 64, 67};

    @Property(tries = 200)
    void matmulAgreesWithFloat64(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int m = DIMS[rng.nextInt(DIMS.length)];
        int n = DIMS[rng.nextInt(DIMS.length)];
        int k = DIMS[rng.nextInt(DIMS.length)];
        int[] batch = rng.nextInt(2) == 0 ? new int[0] : Fixtures.randomShape(rng, 1, 3, 6);
        int[] aBatch = broadcastSource(rng, batch);
        int[] bBatch = broadcastSource(rng, batch);
        boolean transA = rng.nextInt(2) == 0;
        boolean transB = rng.nextInt(2) == 0;
        Tensor a = operand(rng, aBatch, m, k, transA);
        Tensor b = operand(rng, bBatch, k, n, transB);
        String what = "matmul " + Arrays.toString(a.shape()) + " (strides " + Arrays.toString(a.strides()) + ") @ "
                + Arrays.toString(b.shape()) + " (strides " + Arrays.toString(b.strides()) + ") seed=" + seed;
        int[] outBatch = Shapes.broadcast("test", aBatch, bBatch);
        int[] outShape = Arrays.copyOf(outBatch, outBatch.length + 2);
        outShape[outBatch.length] = m;
        outShape[outBatch.length + 1] = n;

        Tensor c = a.matmul(b);
        assertArrayEquals(outShape, c.shape(), what + ": shape");
        Tensor aFull = a.expand(concat(outBatch, m, k));
        Tensor bFull = b.expand(concat(outBatch, k, n));
        double[] got = values(c);
        for (int f = 0; f < got.length; f++) {
            int[] idx = unflatten(f, outShape);
            int[] ai = idx.clone();
            int[] bi = idx.clone();
            double ref = 0;
            double scale = 0;
            for (int p = 0; p < k; p++) {
                ai[ai.length - 1] = p;
                bi[bi.length - 2] = p;
                double prod = (double) aFull.get(ai) * bFull.get(bi);
                ref += prod;
                scale += Math.abs(prod);
            }
            if (!(Math.abs(got[f] - ref) <= REL * scale + 1e-30)) {
                fail(what + ": element " + Arrays.toString(idx) + " is " + got[f] + ", expected " + ref
                        + " (error bound " + REL * scale + ")");
            }
        }
        Fixtures.assertClose(what + ": contiguous operands", c, a.contiguous().matmul(b.contiguous()), 1e-5, 1e-5);
    }

    /** A [batch…, rows, cols] operand; when {@code transposed}, stored as [cols, rows] and read through a transpose. */
    /** Writing or adding the product into an existing tensor gives what matmul and add give. */
    @Property(tries = 100)
    void matmulInPlaceWritesOrAddsTheProduct(@ForAll long seed, @ForAll boolean accumulate) {
        Rng rng = new Rng(seed);
        int m = DIMS[rng.nextInt(DIMS.length)];
        int n = DIMS[rng.nextInt(DIMS.length)];
        int k = DIMS[rng.nextInt(DIMS.length)];
        Tensor a = operand(rng, new int[0], m, k, rng.nextInt(2) == 0);
        Tensor b = operand(rng, new int[0], k, n, rng.nextInt(2) == 0);
        Tensor c = Tensor.uniform(rng, -1f, 1f, m, n);
        Tensor expected = accumulate ? c.add(a.matmul(b)) : a.matmul(b);
        c.matmulInPlace(a, b, accumulate);
        assertArrayEquals(expected.toArray(), c.toArray(), 1e-4f, "matmulInPlace " + m + "x" + k + " @ " + k + "x" + n
                + " accumulate=" + accumulate + " seed=" + seed);
    }

    private static Tensor operand(Rng rng, int[] batch, int rows, int cols, boolean transposed) {
        if (transposed) {
            return randomView(rng, concat(batch, cols, rows), false).transpose(-1, -2);
        }
        return rng.nextInt(2) == 0 ? Tensor.randn(rng, concat(batch, rows, cols))
                : randomView(rng, concat(batch, rows, cols), true);
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    private static int[] broadcastSource(Rng rng, int[] out) {
        int drop = rng.nextInt(out.length + 1);
        int[] s = Arrays.copyOfRange(out, drop, out.length);
        for (int i = 0; i < s.length; i++) {
            if (rng.nextInt(3) == 0) {
                s[i] = 1;
            }
        }
        return s;
    }
}
