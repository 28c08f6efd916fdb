package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Tensor;

/** Matrix products, forward and backward. */
public final class MatMul {

    private MatMul() {
    }

    /**
     * {@code a @ b} over the last two axes with broadcast batch axes. Backward: dA = dC·Bᵀ and
     * dB = Aᵀ·dC, summed over the batch axes an operand was broadcast along.
     */
    public static Var matmul(Var a, Var b) {
        Tensor av = a.value();
        Tensor bv = b.value();
        Tensor out = av.matmul(bv);
        return Tape.record(out, g -> {
            if (a.requiresGrad()) {
                if (av.dim() == 2 && bv.dim() > 2) {
                    // a was shared by every batch: dA = Σ_batch dC·Bᵀ as one product over the folded batch.
                    a.accumulate(foldRows(g.transpose(-2, -1)).t().matmul(foldRows(bv.transpose(-2, -1))));
                } else {
                    a.accumulate(g.matmul(bv.transpose(-2, -1)));
                }
            }
            if (b.requiresGrad()) {
                if (bv.dim() == 2 && av.dim() > 2) {
                    // b was shared by every batch: fold the batch into the rows, one [k, rows]·[rows, n] product.
                    b.accumulate(foldRows(av).t().matmul(foldRows(g)));
                } else {
                    b.accumulate(av.transpose(-2, -1).matmul(g));
                }
            }
        }, a, b);
    }

    /** [..., r, c] → [(...·r), c]; a view when the layout allows. */
    private static Tensor foldRows(Tensor t) {
        return t.reshape(-1, t.size(-1));
    }

    /**
     * A fully connected layer, {@code x·Wᵀ + bias}, with W stored as {@code [out, in]} (PyTorch's
     * layout) and any number of leading axes in x; {@code bias} may be null.
     */
    public static Var linear(Var x, Var weight, Var bias) {
        Tensor xv = x.value();
        Tensor w = weight.value();
        int in = w.size(1);
        if (xv.size(-1) != in) {
            throw new IllegalArgumentException("linear: input of shape " + java.util.Arrays.toString(xv.shape())
                    + " does not end in the weight's input size " + in + " (weight " + java.util.Arrays.toString(w.shape())
                    + ")");
        }
        Tensor x2 = foldRows(xv);
        Tensor y2 = x2.matmul(w.t());
        if (bias != null) {
            y2 = y2.add(bias.value());
        }
        int[] outShape = xv.shape();
        outShape[outShape.length - 1] = w.size(0);
        Tensor y = y2.reshape(outShape);
        Var[] inputs = bias == null ? new Var[] {x, weight} : new Var[] {x, weight, bias};
        return Tape.record(y, g -> {
            Tensor g2 = foldRows(g);
            if (x.requiresGrad()) {
                x.accumulate(g2.matmul(w).reshape(xv.shape()));
            }
            if (weight.requiresGrad()) {
                weight.accumulate(g2.t().matmul(x2));
            }
            if (bias != null && bias.requiresGrad()) {
                bias.accumulate(g2.sum(0, false));
            }
        }, inputs);
    }
}
