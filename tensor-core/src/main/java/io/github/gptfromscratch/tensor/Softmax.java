package io.github.gptfromscratch.tensor;

import io.github.gptfromscratch.tensor.internal.kernels.Kernels;

/** Stable softmax and log-softmax along one axis. */
final class Softmax {

    private Softmax() {
    }

    static Tensor softmax(Tensor x, int axis, boolean log) {
        int last = x.shape.length - 1;
        int[] order = null;
        Tensor rows = x;
        if (axis != last) {
            order = new int[x.shape.length];
            for (int i = 0, j = 0; i < order.length; i++) {
                if (i != axis) {
                    order[j++] = i;
                }
            }
            order[last] = axis;
            rows = x.permute(order);
        }
        Tensor in = rows.contiguous();
        Tensor out = Tensor.allocateForOverwrite(in.shape);
        int n = in.shape.length == 0 ? 1 : in.shape[last];
        int count = n == 0 ? 0 : out.numel() / n;
        Kernels k = Kernels.get();
        Parallel.forRange(count, 4L * n, (start, end) -> {
            for (int r = start; r < end; r++) {
                rowSoftmax(k, n, in.data, in.offset + r * n, out.data, r * n, log);
            }
        });
        if (order == null) {
            return out;
        }
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[order[i]] = i;
        }
        return out.permute(inverse).contiguous();
    }

    /** One row: out = softmax(x) or log_softmax(x). Public within the package for fused callers. */
    static void rowSoftmax(Kernels k, int n, float[] x, int xOff, float[] out, int outOff, boolean log) {
        float max = k.max(n, x, xOff);
        if (max == Float.NEGATIVE_INFINITY) {
            // Every entry is -inf: no distribution exists (PyTorch yields NaN as well).
            java.util.Arrays.fill(out, outOff, outOff + n, Float.NaN);
            return;
        }
        float sum = k.expShiftSum(n, x, xOff, max, out, outOff);
        if (log) {
            // (x − max) − log Σ, not x − (max + log Σ): for large max the sum max + log Σ would round
            // away most of log Σ (at 1e4 a float's ulp is 1e-3).
            float logSum = (float) Math.log(sum);
            for (int i = 0; i < n; i++) {
                out[outOff + i] = (x[xOff + i] - max) - logSum;
            }
        } else {
            k.scale(n, 1f / sum, out, outOff);
        }
    }
}
