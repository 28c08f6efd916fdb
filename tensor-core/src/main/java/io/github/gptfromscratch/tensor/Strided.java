package io.github.gptfromscratch.tensor;

import io.github.gptfromscratch.tensor.internal.kernels.BinaryOp;
import io.github.gptfromscratch.tensor.internal.kernels.Kernels;
import io.github.gptfromscratch.tensor.internal.kernels.UnaryOp;

/**
 * Walks several tensors of one shape in lockstep, row by row, whatever their strides.
 *
 * <p>Axes that are laid out contiguously in every operand are merged first, so contiguous tensors
 * become one long row and reach the kernels' fast path; otherwise each row is the last merged axis,
 * with its own stride per operand.
 */
final class Strided {

    /** One inner row: {@code n} elements, operand {@code i} starting at {@code offs[i]} with stride {@code strides[i]}. */
    @FunctionalInterface
    interface RowBody {
        void row(int n, int[] offs, int[] strides);
    }

    private Strided() {
    }

    /**
     * Calls {@code body} for each row of {@code shape}, with operand {@code i} at {@code offsets[i]} and
     * {@code strides[i]}. Rows are split across threads when {@code parallel} and the work is large;
     * then every row must write to its own elements only.
     */
    static void forEachRow(int[] shape, int[] offsets, int[][] strides, boolean parallel, RowBody body) {
        int ops = offsets.length;
        // Merge axes: drop size-1 axes, fuse neighbours contiguous in every operand.
        int[] s = new int[shape.length];
        int[][] st = new int[ops][shape.length];
        int d = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) {
                continue;
            }
            if (shape[i] == 0) {
                return;
            }
            boolean fuse = d > 0;
            for (int o = 0; o < ops && fuse; o++) {
                fuse = st[o][d - 1] == strides[o][i] * shape[i];
            }
            if (fuse) {
                s[d - 1] *= shape[i];
                for (int o = 0; o < ops; o++) {
                    st[o][d - 1] = strides[o][i];
                }
            } else {
                s[d] = shape[i];
                for (int o = 0; o < ops; o++) {
                    st[o][d] = strides[o][i];
                }
                d++;
            }
        }
        if (d == 0) { // a single element
            body.row(1, offsets.clone(), new int[ops]);
            return;
        }
        final int dims = d;
        final int inner = s[dims - 1];
        final int[] innerStrides = new int[ops];
        for (int o = 0; o < ops; o++) {
            innerStrides[o] = st[o][dims - 1];
        }
        int rows = 1;
        for (int i = 0; i < dims - 1; i++) {
            rows *= s[i];
        }
        Parallel.RangeBody rowsBody = (start, end) -> {
            int[] idx = new int[Math.max(dims - 1, 1)];
            int[] offs = new int[ops];
            // Position at row `start`.
            int r = start;
            for (int i = dims - 2; i >= 0; i--) {
                idx[i] = r % s[i];
                r /= s[i];
            }
            for (int o = 0; o < ops; o++) {
                int off = offsets[o];
                for (int i = 0; i < dims - 1; i++) {
                    off += idx[i] * st[o][i];
                }
                offs[o] = off;
            }
            int[] strideCopy = innerStrides.clone();
            int[] rowOffs = new int[ops];
            for (int row = start; row < end; row++) {
                System.arraycopy(offs, 0, rowOffs, 0, ops);
                body.row(inner, rowOffs, strideCopy);
                for (int i = dims - 2; i >= 0; i--) { // odometer increment
                    idx[i]++;
                    for (int o = 0; o < ops; o++) {
                        offs[o] += st[o][i];
                    }
                    if (idx[i] < s[i] || i == 0) {
                        break;
                    }
                    idx[i] = 0;
                    for (int o = 0; o < ops; o++) {
                        offs[o] -= s[i] * st[o][i];
                    }
                }
            }
        };
        if (parallel) {
            Parallel.forRange(rows, inner, rowsBody);
        } else {
            rowsBody.run(0, rows);
        }
    }

    /** dst ← src elementwise; same shapes. */
    static void copy(Tensor src, Tensor dst) {
        float[] in = src.data;
        float[] out = dst.data;
        forEachRow(dst.shape, new int[] {src.offset, dst.offset}, new int[][] {src.strides, dst.strides}, true,
                (n, offs, strides) -> {
                    if (strides[0] == 1 && strides[1] == 1) {
                        System.arraycopy(in, offs[0], out, offs[1], n);
                    } else {
                        for (int i = 0, a = offs[0], b = offs[1]; i < n; i++, a += strides[0], b += strides[1]) {
                            out[b] = in[a];
                        }
                    }
                });
    }

    /** A new contiguous tensor op(x). */
    static Tensor unary(UnaryOp op, Tensor x) {
        Tensor in = x.contiguous();
        Tensor out = Tensor.allocateForOverwrite(x.shape);
        Kernels k = Kernels.get();
        int n = out.data.length;
        Parallel.forRange(n, 16, (start, end) ->
                k.unary(op, end - start, in.data, in.offset + start, out.data, start));
        return out;
    }

    /** op applied in place to every element of {@code x}. */
    static void unaryInPlace(UnaryOp op, Tensor x) {
        Kernels k = Kernels.get();
        float[] data = x.data;
        forEachRow(x.shape, new int[] {x.offset}, new int[][] {x.strides}, true, (n, offs, strides) -> {
            if (strides[0] == 1) {
                k.unary(op, n, data, offs[0], data, offs[0]);
            } else {
                for (int i = 0, a = offs[0]; i < n; i++, a += strides[0]) {
                    data[a] = io.github.gptfromscratch.tensor.internal.kernels.ScalarMath.apply(op, data[a]);
                }
            }
        });
    }

    /** A new contiguous tensor op(a, b) with NumPy broadcasting. */
    static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(name, a.shape, b.shape);
        Tensor out = Tensor.allocateForOverwrite(shape);
        binaryInto(op, a.expand(shape), b.expand(shape), out);
        return out;
    }

    /** out ← op(a, b), all three of one shape (a and b may be expanded views; out may alias a). */
    static void binaryInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Kernels k = Kernels.get();
        float[] ad = a.data;
        float[] bd = b.data;
        float[] od = out.data;
        forEachRow(out.shape, new int[] {a.offset, b.offset, out.offset},
                new int[][] {a.strides, b.strides, out.strides}, true, (n, offs, strides) -> {
                    if (strides[2] == 1) {
                        k.binary(op, n, ad, offs[0], strides[0], bd, offs[1], strides[1], od, offs[2]);
                    } else {
                        for (int i = 0; i < n; i++) {
                            od[offs[2] + i * strides[2]] = io.github.gptfromscratch.tensor.internal.kernels.ScalarMath
                                    .apply(op, ad[offs[0] + i * strides[0]], bd[offs[1] + i * strides[1]]);
                        }
                    }
                });
    }
}
