package io.github.gptfromscratch.tensor;

import io.github.gptfromscratch.tensor.internal.kernels.Gemm;

/** Matrix products of 2-D and batched tensors, read through strides. */
final class LinearAlgebra {

    private LinearAlgebra() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.shape.length < 2 || b.shape.length < 2) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
                    + " — both operands need at least 2 axes");
        }
        int m = a.shape[a.shape.length - 2];
        int k = a.shape[a.shape.length - 1];
        int kb = b.shape[b.shape.length - 2];
        int n = b.shape[b.shape.length - 1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
                    + " — inner dimensions " + k + " and " + kb + " differ");
        }
        int[] aBatch = java.util.Arrays.copyOf(a.shape, a.shape.length - 2);
        int[] bBatch = java.util.Arrays.copyOf(b.shape, b.shape.length - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast("matmul", aBatch, bBatch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
                    + " — batch axes " + Shapes.str(aBatch) + " and " + Shapes.str(bBatch) + " cannot broadcast");
        }
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = Tensor.allocateForOverwrite(outShape);
        multiplyInto(a, b, out, false);
        return out;
    }

    /**
     * out (+)= a @ b for operands already checked to fit: out is contiguous in its last axis with shape
     * [batch…, m, n]; a and b broadcast over the batch axes.
     */
    static void multiplyInto(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        int outDims = out.shape.length;
        int m = out.shape[outDims - 2];
        int n = out.shape[outDims - 1];
        int k = a.shape[a.shape.length - 1];
        int[] batch = java.util.Arrays.copyOf(out.shape, outDims - 2);
        int count = Shapes.numel(batch);
        int aRs = a.strides[a.shape.length - 2];
        int aCs = a.strides[a.shape.length - 1];
        int bRs = b.strides[b.shape.length - 2];
        int bCs = b.strides[b.shape.length - 1];
        int cRs = out.strides[outDims - 2];
        if (count == 1) {
            Gemm.sgemm(m, n, k, a.data, a.offset, aRs, aCs, b.data, b.offset, bRs, bCs, out.data, out.offset, cRs,
                    accumulate);
            return;
        }
        int[] aOffs = batchOffsets(a, batch);
        int[] bOffs = batchOffsets(b, batch);
        int[] cOffs = batchOffsets(out, batch);
        Gemm.sgemmBatched(count, m, n, k, a.data, aOffs, aRs, aCs, b.data, bOffs, bRs, bCs, out.data, cOffs, cRs,
                accumulate);
    }

    /** The storage offset of each matrix of {@code t} when its batch axes are broadcast to {@code batch}. */
    private static int[] batchOffsets(Tensor t, int[] batch) {
        int lead = batch.length - (t.shape.length - 2);
        int[] strides = new int[batch.length];
        for (int i = 0; i < batch.length; i++) {
            int ti = i - lead;
            strides[i] = ti < 0 || t.shape[ti] == 1 ? 0 : t.strides[ti];
        }
        int count = Shapes.numel(batch);
        int[] offs = new int[count];
        int[] idx = new int[batch.length];
        int off = t.offset;
        for (int c = 0; c < count; c++) {
            offs[c] = off;
            for (int i = batch.length - 1; i >= 0; i--) {
                idx[i]++;
                off += strides[i];
                if (idx[i] < batch[i]) {
                    break;
                }
                off -= idx[i] * strides[i];
                idx[i] = 0;
            }
        }
        return offs;
    }
}
