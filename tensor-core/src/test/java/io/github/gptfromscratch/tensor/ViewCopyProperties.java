package io.github.gptfromscratch.tensor;

import static io.github.gptfromscratch.tensor.Fixtures.assertClose;
import static io.github.gptfromscratch.tensor.Fixtures.randomShape;
import static io.github.gptfromscratch.tensor.Fixtures.randomView;
import static io.github.gptfromscratch.tensor.Fixtures.unflatten;
import static io.github.gptfromscratch.tensor.Fixtures.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Every op on a view with random strides, offset and stride-0 axes agrees with the same op on the
 * view's contiguous copy, and both agree with a float64 reference computed element by element.
 */
final class ViewCopyProperties {

    private static final double REL = 2e-6;
    private static final double ABS = 1e-6;

    private record Unary(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref) {
    }

    private static final Unary[] UNARY = {
        new Unary("neg", Tensor::neg, x -> -x),
        new Unary("abs", Tensor::abs, Math::abs),
        new Unary("exp", Tensor::exp, Math::exp),
        new Unary("log", Tensor::log, Math::log),
        new Unary("tanh", Tensor::tanh, Math::tanh),
        new Unary("sqrt", Tensor::sqrt, Math::sqrt),
        new Unary("relu", Tensor::relu, x -> Math.max(x, 0)),
        new Unary("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x))),
        new Unary("gelu", Tensor::gelu, x -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)))),
        new Unary("geluTanh", Tensor::geluTanh,
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        new Unary("square", Tensor::square, x -> x * x),
        new Unary("pow3", t -> t.pow(3f), x -> x * x * x),
        new Unary("pow2", t -> t.pow(2f), x -> x * x),
        new Unary("mulScalar", t -> t.mul(-1.5f), x -> -1.5 * x),
        new Unary("addScalar", t -> t.add(0.25f), x -> x + 0.25),
    };

    private record Binary(String name, java.util.function.BinaryOperator<Tensor> op, DoubleBinaryOperator ref) {
    }

    private static final Binary[] BINARY = {
        new Binary("add", Tensor::add, Double::sum),
        new Binary("sub", Tensor::sub, (a, b) -> a - b),
        new Binary("mul", Tensor::mul, (a, b) -> a * b),
        new Binary("div", Tensor::div, (a, b) -> a / b),
        new Binary("maximum", Tensor::maximum, Math::max),
        new Binary("minimum", Tensor::minimum, Math::min),
        new Binary("gt", Tensor::gt, (a, b) -> a > b ? 1 : 0),
        new Binary("lt", Tensor::lt, (a, b) -> a < b ? 1 : 0),
        new Binary("eq", Tensor::eq, (a, b) -> a == b ? 1 : 0),
    };

    @Property(tries = 200)
    void unaryOpsOnAViewAgreeWithTheCopyAndFloat64(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = randomShape(rng, 0, 4, 600);
        Tensor view = randomView(rng, shape, true);
        Tensor copy = view.contiguous();
        double[] x = values(view);
        for (Unary u : UNARY) {
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                // float32 inputs, float64 math, rounded once: what a correctly rounded kernel returns.
                expected[i] = (float) u.ref.applyAsDouble(x[i]);
            }
            String what = u.name + " seed=" + seed;
            assertClose(what + " (view)", shape, expected, u.op.apply(view), REL, ABS);
            assertClose(what + " (copy)", shape, expected, u.op.apply(copy), REL, ABS);
        }
    }

    @Property(tries = 200)
    void broadcastingAgreesWithAnExplicitExpansion(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] full = randomShape(rng, 0, 4, 600);
        int[] aShape = broadcastSource(rng, full);
        int[] bShape = broadcastSource(rng, full);
        int[] out = Shapes.broadcast("test", aShape, bShape);
        Tensor a = randomView(rng, aShape, true);
        Tensor b = randomView(rng, bShape, true).add(3f); // away from 0 for div
        Tensor aFull = a.expand(out).contiguous();
        Tensor bFull = b.expand(out).contiguous();
        double[] av = values(aFull);
        double[] bv = values(bFull);
        for (Binary op : BINARY) {
            double[] expected = new double[av.length];
            for (int i = 0; i < av.length; i++) {
                expected[i] = (float) op.ref.applyAsDouble(av[i], bv[i]);
            }
            String what = op.name + " " + java.util.Arrays.toString(aShape) + " with "
                    + java.util.Arrays.toString(bShape) + " seed=" + seed;
            assertClose(what, out, expected, op.op.apply(a, b), REL, ABS);
            assertClose(what + " (expanded copies)", out, expected, op.op.apply(aFull, bFull), REL, ABS);
            assertClose(what + " (contiguous inputs)", out, expected, op.op.apply(a.contiguous(), b.contiguous()), REL, ABS);
        }
    }

    /** A shape that broadcasts to {@code out}: some leading axes dropped, some sizes set to 1. */
    private static int[] broadcastSource(Rng rng, int[] out) {
        int drop = rng.nextInt(out.length + 1);
        int[] s = java.util.Arrays.copyOfRange(out, drop, out.length);
        for (int i = 0; i < s.length; i++) {
            if (rng.nextInt(3) == 0) {
                s[i] = 1;
            }
        }
        return s;
    }

    @Property(tries = 200)
    void reductionsAgreeWithFloat64(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = randomShape(rng, 1, 4, 800);
        Tensor view = randomView(rng, shape, true);
        Tensor copy = view.contiguous();
        double[] x = values(view);
        int rank = shape.length;
        boolean[] mask = new boolean[rank];
        int[] axes = pickAxes(rng, mask);
        boolean keepDim = rng.nextInt(2) == 0;
        String what = "axes " + java.util.Arrays.toString(axes) + " of " + java.util.Arrays.toString(shape)
                + " keepDim=" + keepDim + " seed=" + seed;

        int[] kept = shape.clone();
        int count = 1;
        for (int i = 0; i < rank; i++) {
            if (mask[i]) {
                kept[i] = 1;
                count *= shape[i];
            }
        }
        int outN = Shapes.numel(kept);
        double[] sum = new double[outN];
        double[] absSum = new double[outN];
        double[] max = new double[outN];
        double[] min = new double[outN];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        int[] target = new int[x.length];
        for (int f = 0; f < x.length; f++) {
            int[] idx = unflatten(f, shape);
            int o = 0;
            for (int i = 0; i < rank; i++) {
                o = o * kept[i] + (mask[i] ? 0 : idx[i]);
            }
            target[f] = o;
            sum[o] += x[f];
            absSum[o] += Math.abs(x[f]);
            max[o] = Math.max(max[o], x[f]);
            min[o] = Math.min(min[o], x[f]);
        }
        double[] mean = new double[outN];
        double[] var = new double[outN];
        for (int o = 0; o < outN; o++) {
            mean[o] = sum[o] / count;
        }
        for (int f = 0; f < x.length; f++) {
            double d = x[f] - mean[target[f]];
            var[target[f]] += d * d;
        }
        int[] outShape = keepDim ? kept : Reductions.dropReduced(shape, mask);
        for (Tensor t : new Tensor[] {view, copy}) {
            String w = what + (t == view ? " (view)" : " (copy)");
            // Sums are compared against float32 rounding of the absolute sum, the scale of their error.
            assertSum(w + " sum", outShape, sum, absSum, 1, t.sum(axes, keepDim));
            assertSum(w + " mean", outShape, mean, absSum, count, t.mean(axes, keepDim));
            assertClose(w + " max", outShape, max, axes.length == 1 ? t.max(axes[0], keepDim) : maxOver(t, axes, keepDim),
                    0, 0);
            if (axes.length == 1) {
                assertClose(w + " min", outShape, min, t.min(axes[0], keepDim), 0, 0);
            }
            double[] biased = new double[outN];
            for (int o = 0; o < outN; o++) {
                biased[o] = var[o] / count;
            }
            assertClose(w + " variance (biased)", outShape, biased, t.variance(axes, false, keepDim), 1e-5, 1e-6);
            if (count > 1) {
                double[] unbiased = new double[outN];
                for (int o = 0; o < outN; o++) {
                    unbiased[o] = var[o] / (count - 1);
                }
                assertClose(w + " variance (unbiased)", outShape, unbiased, t.variance(axes, true, keepDim), 1e-5, 1e-6);
            }
        }
        assertEquals(sum(x), view.sum().item(), 1e-5 * sum(abs(x)) + 1e-6, "sum() " + what);
        assertEquals(0, view.sum().dim(), "sum() is 0-d");
        assertEquals(max(x), view.max().item(), 0.0, "max() " + what);
    }

    /** max over several axes, one at a time (the public API reduces max along one axis). */
    private static Tensor maxOver(Tensor t, int[] axes, boolean keepDim) {
        int[] sorted = axes.clone();
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = sorted[i] < 0 ? sorted[i] + t.dim() : sorted[i];
        }
        java.util.Arrays.sort(sorted);
        Tensor r = t;
        for (int i = sorted.length - 1; i >= 0; i--) {
            r = r.max(sorted[i], keepDim);
        }
        return r;
    }

    private static void assertSum(String what, int[] shape, double[] expected, double[] absSum, int divisor, Tensor actual) {
        double[] got = values(actual);
        assertArrayEquals(shape, actual.shape(), what + ": shape");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * absSum[i] / divisor + 1e-6;
            assertEquals(expected[i], got[i], tol, what + ": element " + i);
        }
    }

    /** A random non-empty set of distinct axes, possibly negative; marks them in {@code mask}. */
    private static int[] pickAxes(Rng rng, boolean[] mask) {
        int rank = mask.length;
        int[] perm = Fixtures.randomPermutation(rng, rank);
        int n = 1 + rng.nextInt(rank);
        int[] axes = new int[n];
        for (int i = 0; i < n; i++) {
            mask[perm[i]] = true;
            axes[i] = rng.nextInt(2) == 0 ? perm[i] : perm[i] - rank;
        }
        return axes;
    }

    @Property(tries = 200)
    void argmaxAgreesWithAScan(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = randomShape(rng, 1, 4, 600);
        Tensor view = randomView(rng, shape, true);
        // Round to a coarse grid so ties are common.
        Tensor rounded = Tensor.of(roundAll(view.mul(2f).toArray()), shape);
        Tensor x = randomView(rng, shape, false).copyFrom(rounded);
        int axis = rng.nextInt(shape.length);
        IntTensor got = x.argmax(axis, false);
        int[] outShape = Reductions.dropReduced(shape, onlyAxis(shape.length, axis));
        assertArrayEquals(outShape, got.shape(), "argmax shape seed=" + seed);
        for (int f = 0; f < got.numel(); f++) {
            int[] o = unflatten(f, outShape);
            int[] idx = new int[shape.length];
            for (int i = 0, j = 0; i < shape.length; i++) {
                idx[i] = i == axis ? 0 : o[j++];
            }
            int best = 0;
            float bestValue = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < shape[axis]; k++) {
                idx[axis] = k;
                if (x.get(idx) > bestValue) {
                    bestValue = x.get(idx);
                    best = k;
                }
            }
            assertEquals(best, got.data()[f], "argmax at " + java.util.Arrays.toString(o) + " seed=" + seed);
        }
        assertEquals(got, x.contiguous().argmax(axis, false), "argmax view vs copy seed=" + seed);
    }

    @Property(tries = 200)
    void softmaxAgreesWithFloat64(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = randomShape(rng, 1, 4, 600);
        Tensor view = randomView(rng, shape, true).mul(4f);
        int axis = rng.nextInt(shape.length);
        double[] x = values(view);
        double[] soft = new double[x.length];
        double[] logSoft = new double[x.length];
        int stride = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        int n = shape[axis];
        for (int f = 0; f < x.length; f++) {
            int start = f - ((f / stride) % n) * stride; // the row's first element
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                max = Math.max(max, x[start + k * stride]);
            }
            double z = 0;
            for (int k = 0; k < n; k++) {
                z += Math.exp(x[start + k * stride] - max);
            }
            soft[f] = Math.exp(x[f] - max) / z;
            logSoft[f] = x[f] - max - Math.log(z);
        }
        int signedAxis = rng.nextInt(2) == 0 ? axis : axis - shape.length;
        String what = "axis " + signedAxis + " of " + java.util.Arrays.toString(shape) + " seed=" + seed;
        for (Tensor t : new Tensor[] {view, view.contiguous()}) {
            assertClose("softmax " + what, shape, soft, t.softmax(signedAxis), 1e-5, 1e-7);
            assertClose("logSoftmax " + what, shape, logSoft, t.logSoftmax(signedAxis), 1e-5, 1e-5);
        }
    }

    @Property(tries = 200)
    void inPlaceOpsThroughAViewWriteExactlyItsElements(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = randomShape(rng, 0, 4, 400);
        Tensor other = randomView(rng, shape, true);
        double[] o = values(other);
        int which = rng.nextInt(6);
        Tensor view = randomView(rng, shape, false);
        float[] storage = view.storage();
        double[] before = values(view);
        float[] untouched = storage.clone();
        float alpha = 0.75f;
        double[] expected = new double[before.length];
        for (int i = 0; i < before.length; i++) {
            expected[i] = switch (which) {
                case 0 -> 2.5;
                case 1 -> o[i];
                case 2 -> (float) (before[i] + o[i]);
                case 3 -> (float) (before[i] - o[i]);
                case 4 -> (float) (before[i] * o[i]);
                default -> (float) (before[i] + alpha * o[i]);
            };
        }
        Tensor returned = switch (which) {
            case 0 -> view.fill(2.5f);
            case 1 -> view.copyFrom(other);
            case 2 -> view.addInPlace(other);
            case 3 -> view.subInPlace(other);
            case 4 -> view.mulInPlace(other);
            default -> view.axpyInPlace(alpha, other);
        };
        String what = "in-place op " + which + " on " + java.util.Arrays.toString(shape) + " strides "
                + java.util.Arrays.toString(view.strides()) + " seed=" + seed;
        assertEquals(view, returned, what + ": returns this");
        assertClose(what, shape, expected, view, 1e-6, 1e-6);
        // Storage outside the view is left alone.
        boolean[] inView = new boolean[storage.length];
        int[] st = view.strides();
        for (int f = 0; f < before.length; f++) {
            int[] idx = unflatten(f, shape);
            int at = view.offset();
            for (int i = 0; i < idx.length; i++) {
                at += idx[i] * st[i];
            }
            inView[at] = true;
        }
        for (int i = 0; i < storage.length; i++) {
            if (!inView[i]) {
                assertEquals(untouched[i], storage[i], what + ": storage element " + i + " outside the view changed");
            }
        }
    }

    private static boolean[] onlyAxis(int rank, int axis) {
        boolean[] m = new boolean[rank];
        m[axis] = true;
        return m;
    }

    private static float[] roundAll(float[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.round(a[i]);
        }
        return a;
    }

    private static double sum(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }

    private static double[] abs(double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.abs(x[i]);
        }
        return r;
    }

    private static double max(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        return m;
    }
}
