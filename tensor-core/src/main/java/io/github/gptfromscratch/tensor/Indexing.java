package io.github.gptfromscratch.tensor;

/** Gathering and scattering rows by integer indices: embedding lookups and their gradients. */
final class Indexing {

    private Indexing() {
    }

    private static void checkIndex(String op, int index, int size, int position, int axis, int[] shape) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + index + " (at position " + position
                    + ") is out of range for axis " + axis + " of size " + size + " in shape " + Shapes.str(shape));
        }
    }

    /**
     * Slices of {@code x} along {@code axis} picked by {@code indices}: the result's shape is
     * {@code x.shape} with that axis replaced by {@code indices.shape}.
     */
    static Tensor indexSelect(Tensor x, int axis, IntTensor indices) {
        int a = Shapes.axis("indexSelect", axis, x.shape);
        int[] idx = indices.data();
        int[] idxShape = indices.shape();
        int[] outShape = new int[x.shape.length - 1 + idxShape.length];
        System.arraycopy(x.shape, 0, outShape, 0, a);
        System.arraycopy(idxShape, 0, outShape, a, idxShape.length);
        System.arraycopy(x.shape, a + 1, outShape, a + idxShape.length, x.shape.length - a - 1);
        for (int i = 0; i < idx.length; i++) {
            checkIndex("indexSelect", idx[i], x.shape[a], i, a, x.shape);
        }
        Tensor out = Tensor.allocateForOverwrite(outShape);
        // View the output as [outer, count, inner] and copy slice by slice.
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= x.shape[i];
        }
        int inner = 1;
        for (int i = a + 1; i < x.shape.length; i++) {
            inner *= x.shape[i];
        }
        int count = idx.length;
        if (a == 0 && x.isContiguous()) { // embedding lookup: whole rows
            for (int c = 0; c < count; c++) {
                System.arraycopy(x.data, x.offset + idx[c] * inner, out.data, c * inner, inner);
            }
            return out;
        }
        Tensor src3 = x.reshape(outer, x.shape[a], inner);
        Tensor dst3 = out.view(outer, count, inner);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < count; c++) {
                Strided.copy(src3.select(0, o).select(0, idx[c]), dst3.select(0, o).select(0, c));
            }
        }
        return out;
    }

    /**
     * {@code target[…, indices[i], …] += source[…, i, …]} along {@code axis}, summing repeated indices
     * (the backward of {@link #indexSelect}); {@code source} has {@code target}'s shape with that axis
     * replaced by {@code indices.shape}.
     */
    static void indexAddInPlace(Tensor target, int axis, IntTensor indices, Tensor source) {
        int a = Shapes.axis("indexAdd", axis, target.shape);
        int[] idx = indices.data();
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= target.shape[i];
        }
        int inner = 1;
        for (int i = a + 1; i < target.shape.length; i++) {
            inner *= target.shape[i];
        }
        int[] expected = new int[target.shape.length - 1 + indices.dim()];
        System.arraycopy(target.shape, 0, expected, 0, a);
        System.arraycopy(indices.shape(), 0, expected, a, indices.dim());
        System.arraycopy(target.shape, a + 1, expected, a + indices.dim(), target.shape.length - a - 1);
        if (!java.util.Arrays.equals(expected, source.shape)) {
            throw new IllegalArgumentException("indexAdd: source shape " + Shapes.str(source.shape)
                    + " does not match target " + Shapes.str(target.shape) + " with axis " + a + " indexed by "
                    + Shapes.str(indices.shape()) + " (expected " + Shapes.str(expected) + ")");
        }
        for (int i = 0; i < idx.length; i++) {
            checkIndex("indexAdd", idx[i], target.shape[a], i, a, target.shape);
        }
        if (a == 0 && target.isContiguous()) { // embedding gradient: whole rows
            Tensor src = source.contiguous();
            io.github.gptfromscratch.tensor.internal.kernels.Kernels k =
                    io.github.gptfromscratch.tensor.internal.kernels.Kernels.get();
            for (int c = 0; c < idx.length; c++) {
                k.axpy(inner, 1f, src.data, src.offset + c * inner, target.data, target.offset + idx[c] * inner);
            }
            return;
        }
        Tensor dst3 = target.reshape(outer, target.shape[a], inner);
        if (dst3.data != target.data) {
            throw new IllegalArgumentException("indexAdd: target of shape " + Shapes.str(target.shape)
                    + " and strides " + Shapes.str(target.strides) + " cannot be updated in place; make it contiguous");
        }
        Tensor src3 = source.contiguous().view(outer, idx.length, inner);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < idx.length; c++) {
                Tensor row = dst3.select(0, o).select(0, idx[c]);
                row.addInPlace(src3.select(0, o).select(0, c));
            }
        }
    }

    /** {@code out[i][j] = x[i][index[i][j]]} along {@code axis} (torch.gather); index has x's rank. */
    static Tensor gather(Tensor x, int axis, IntTensor index) {
        int a = Shapes.axis("gather", axis, x.shape);
        int[] ishape = index.shape();
        if (ishape.length != x.shape.length) {
            throw new IllegalArgumentException("gather: index shape " + Shapes.str(ishape) + " must have as many axes as "
                    + Shapes.str(x.shape));
        }
        for (int i = 0; i < ishape.length; i++) {
            if (i != a && ishape[i] > x.shape[i]) {
                throw new IllegalArgumentException("gather: index shape " + Shapes.str(ishape) + " exceeds "
                        + Shapes.str(x.shape) + " on axis " + i);
            }
        }
        Tensor out = Tensor.allocate(ishape);
        int[] data = index.data();
        int[] pos = new int[ishape.length];
        for (int flat = 0; flat < data.length; flat++) {
            int rem = flat;
            for (int i = ishape.length - 1; i >= 0; i--) {
                pos[i] = rem % ishape[i];
                rem /= ishape[i];
            }
            checkIndex("gather", data[flat], x.shape[a], flat, a, x.shape);
            int off = x.offset;
            for (int i = 0; i < pos.length; i++) {
                off += (i == a ? data[flat] : pos[i]) * x.strides[i];
            }
            out.data[flat] = x.data[off];
        }
        return out;
    }
}
