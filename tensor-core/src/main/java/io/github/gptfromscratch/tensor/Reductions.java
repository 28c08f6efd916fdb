package io.github.gptfromscratch.tensor;

import io.github.gptfromscratch.tensor.internal.kernels.Kernels;

/** Sums, maxima and their relatives along axes, for any strides. */
final class Reductions {

    private Reductions() {
    }

    enum Kind { SUM, MAX, MIN }

    /** Normalises and de-duplicates the axes; none given means all axes. */
    static boolean[] axesMask(String op, int[] shape, int[] axes) {
        boolean[] mask = new boolean[shape.length];
        if (axes.length == 0) {
            java.util.Arrays.fill(mask, true);
            return mask;
        }
        for (int axis : axes) {
            int a = Shapes.axis(op, axis, shape);
            if (mask[a]) {
                throw new IllegalArgumentException(op + ": axis " + axis + " is given twice");
            }
            mask[a] = true;
        }
        return mask;
    }

    static int[] keptShape(int[] shape, boolean[] mask) {
        int[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (mask[i]) {
                s[i] = 1;
            }
        }
        return s;
    }

    static int[] dropReduced(int[] shape, boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 0 : 1;
        }
        int[] s = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!mask[i]) {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    /**
     * Reduces {@code x} over the masked axes into a new tensor with those axes kept at size 1: the
     * output is seen with stride 0 along the reduced axes, and every input row is folded into it.
     */
    static Tensor reduce(String op, Kind kind, Tensor x, boolean[] mask) {
        int[] kept = keptShape(x.shape, mask);
        Tensor out = Tensor.allocate(kept);
        if (kind != Kind.SUM) {
            if (x.numel() == 0) {
                throw new IllegalArgumentException(op + ": cannot reduce an empty tensor of shape " + Shapes.str(x.shape));
            }
            java.util.Arrays.fill(out.data, kind == Kind.MAX ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
        }
        int[] outStrides = out.strides.clone();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                outStrides[i] = 0;
            }
        }
        Kernels k = Kernels.get();
        float[] in = x.data;
        float[] od = out.data;
        // Serial: several rows may fold into one output element, and a fixed order keeps sums reproducible.
        Strided.forEachRow(x.shape, new int[] {x.offset, 0}, new int[][] {x.strides, outStrides}, false,
                (n, offs, strides) -> {
                    int xs = strides[0];
                    int os = strides[1];
                    if (os == 0) {
                        float acc = od[offs[1]];
                        if (kind == Kind.SUM) {
                            acc += xs == 1 ? k.sum(n, in, offs[0]) : stridedSum(in, offs[0], xs, n);
                        } else if (kind == Kind.MAX) {
                            acc = Math.max(acc, xs == 1 ? k.max(n, in, offs[0]) : stridedMax(in, offs[0], xs, n));
                        } else {
                            for (int i = 0; i < n; i++) {
                                acc = Math.min(acc, in[offs[0] + i * xs]);
                            }
                        }
                        od[offs[1]] = acc;
                    } else if (kind == Kind.SUM && xs == 1 && os == 1) {
                        k.axpy(n, 1f, in, offs[0], od, offs[1]);
                    } else {
                        for (int i = 0; i < n; i++) {
                            int o = offs[1] + i * os;
                            float v = in[offs[0] + i * xs];
                            od[o] = switch (kind) {
                                case SUM -> od[o] + v;
                                case MAX -> Math.max(od[o], v);
                                case MIN -> Math.min(od[o], v);
                            };
                        }
                    }
                });
        return out;
    }

    private static float stridedSum(float[] a, int off, int stride, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += a[off + i * stride];
        }
        return s;
    }

    private static float stridedMax(float[] a, int off, int stride, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, a[off + i * stride]);
        }
        return m;
    }

    /** Index of the first maximum along one axis; NaN counts as the maximum, as in PyTorch. */
    static IntTensor argmax(Tensor x, int axis, boolean keepDim) {
        int a = Shapes.axis("argmax", axis, x.shape);
        int n = x.shape[a];
        if (n == 0) {
            throw new IllegalArgumentException("argmax: axis " + a + " of shape " + Shapes.str(x.shape) + " is empty");
        }
        // Move the axis to the end, keeping the others in order: rows then follow the result's layout.
        int[] order = new int[x.shape.length];
        for (int i = 0, j = 0; i < order.length; i++) {
            if (i != a) {
                order[j++] = i;
            }
        }
        order[order.length - 1] = a;
        Tensor moved = x.permute(order).contiguous();
        int rows = moved.numel() / n;
        int[] result = new int[rows];
        for (int r = 0; r < rows; r++) {
            int base = moved.offset + r * n;
            int best = 0;
            float bestValue = moved.data[base];
            for (int i = 1; i < n && !Float.isNaN(bestValue); i++) {
                float v = moved.data[base + i];
                if (v > bestValue || Float.isNaN(v)) {
                    best = i;
                    bestValue = v;
                }
            }
            result[r] = best;
        }
        boolean[] mask = new boolean[x.shape.length];
        mask[a] = true;
        return IntTensor.of(result, keepDim ? keptShape(x.shape, mask) : dropReduced(x.shape, mask));
    }
}
