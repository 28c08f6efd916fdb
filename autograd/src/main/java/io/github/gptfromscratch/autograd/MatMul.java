package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Tensor;

import java.util.Arrays;

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
                    a.accumulateProduct(foldRows(g.transpose(-2, -1)).t(), foldRows(bv.transpose(-2, -1)));
                } else {
                    a.accumulate(g.matmul(bv.transpose(-2, -1)));
                }
            }
            if (b.requiresGrad()) {
                if (bv.dim() == 2) {
                    // b was shared by every batch (if any): fold the batch into the rows, one [k, rows]·[rows, n]
                    // product.
                    b.accumulateProduct(foldRows(av).t(), foldRows(g));
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
        return dense("linear", x, weight, true, bias);
    }

    /**
     * {@code x·W + bias} with W stored as {@code [in, out]} (the makemore notebooks' {@code h = emb @ W1 + b1})
     * and any number of leading axes in x; {@code bias} may be null. One op instead of a matmul and an
     * add: the bias is the starting value of the product, so no second activation is allocated.
     */
    public static Var affine(Var x, Var weight, Var bias) {
        return dense("affine", x, weight, false, bias);
    }

    /**
     * x·W + bias for W stored {@code [in, out]}, or {@code [out, in]} when {@code transposed}; forward
     * and backward of {@link #linear} and {@link #affine}.
     */
    private static Var dense(String op, Var x, Var weight, boolean transposed, Var bias) {
        Tensor xv = x.value();
        Tensor w = transposed ? weight.value().t() : weight.value(); // [in, out], a view
        int in = w.size(0);
        int out = w.size(1);
        if (w.dim() != 2 || xv.size(-1) != in || (bias != null && bias.value().numel() != out)) {
            throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(xv.shape())
                    + " does not end in the weight's input size " + in + ", or the bias "
                    + (bias == null ? "" : Arrays.toString(bias.shape())) + " does not have its " + out
                    + " outputs (weight " + Arrays.toString(weight.shape()) + ")");
        }
        Tensor x2 = foldRows(xv);
        Tensor y2 = bias == null
                ? x2.matmul(w)
                : bias.value().reshape(1, out).expand(x2.size(0), out).copy().matmulInPlace(x2, w, true);
        int[] outShape = xv.shape();
        outShape[outShape.length - 1] = out;
        Tensor y = y2.reshape(outShape);
        Var[] inputs = bias == null ? new Var[] {x, weight} : new Var[] {x, weight, bias};
        return Tape.record(y, g -> {
            Tensor g2 = foldRows(g);
            if (x.requiresGrad()) {
                x.accumulate(g2.matmul(w.t()).reshape(xv.shape()));
            }
            if (weight.requiresGrad()) {
                if (transposed) {
                    weight.accumulateProduct(g2.t(), x2);
                } else {
                    weight.accumulateProduct(x2.t(), g2);
                }
            }
            if (bias != null && bias.requiresGrad()) {
                bias.accumulate(g2.sum(0, false).reshape(bias.shape()));
            }
        }, inputs);
    }
}
