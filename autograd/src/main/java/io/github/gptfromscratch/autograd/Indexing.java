package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Tensor;

/** Lookups by integer index, forward beside backward. */
public final class Indexing {

    private Indexing() {
    }

    /**
     * Rows of {@code table} ([rows, dim]) picked by {@code ids}: the result has shape
     * {@code ids.shape() + [dim]}. Backward: the gradient rows are added back at their ids (a
     * scatter-add, so a row used twice gets both contributions).
     */
    public static Var embedding(Var table, IntTensor ids) {
        Tensor w = table.value();
        if (w.dim() != 2) {
            throw new IllegalArgumentException("embedding: the table must be [rows, dim], got "
                    + java.util.Arrays.toString(w.shape()));
        }
        return Tape.record(w.indexSelect(0, ids), g -> {
            Tensor grad = Tensor.zeros(w.shape());
            grad.indexAddInPlace(0, ids, g);
            table.accumulate(grad);
        }, table);
    }

    /** Slices along {@code axis} picked by {@code indices} (general index-select). */
    public static Var indexSelect(Var a, int axis, IntTensor indices) {
        Tensor x = a.value();
        return Tape.record(x.indexSelect(axis, indices), g -> {
            Tensor grad = Tensor.zeros(x.shape());
            grad.indexAddInPlace(axis, indices, g);
            a.accumulate(grad);
        }, a);
    }
}
