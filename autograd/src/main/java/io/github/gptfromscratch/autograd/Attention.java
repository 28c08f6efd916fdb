package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.FusedAttention;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.function.UnaryOperator;

/** Scaled dot-product attention with a causal mask. */
public final class Attention {

    private Attention() {
    }

    /**
     * Fused (FlashAttention-style) softmax(q·kᵀ/√d + causal mask)·v for q {@code [B, H, Tq, d]} and k, v {@code [B, H, Tk, d]} with
     * {@code Tq <= Tk}: the queries are the last {@code Tq} positions, and query i sees keys up to its
     * own position {@code i + Tk − Tq} (so a single new query sees the whole cache).
     */
    public static Var causal(Var q, Var k, Var v) {
        FusedAttention.Forward fwd = FusedAttention.forward(q.value(), k.value(), v.value());
        return Tape.record(fwd.output(), g -> {
            FusedAttention.Gradients grads = FusedAttention.backward(q.value(), k.value(), v.value(), fwd, g);
            q.accumulate(grads.dq());
            k.accumulate(grads.dk());
            v.accumulate(grads.dv());
        }, q, k, v);
    }

    /**
     * The same attention composed of matmul, mask, softmax and matmul, with {@code probabilities} applied
     * to the attention weights (dropout needs them materialised; the fused path never builds them).
     */
    public static Var causalComposed(Var q, Var k, Var v, UnaryOperator<Var> probabilities) {
        int[] qs = q.shape();
        int[] ks = k.shape();
        int tq = qs[qs.length - 2];
        int tk = ks[ks.length - 2];
        int d = qs[qs.length - 1];
        if (tq > tk || ks[ks.length - 1] != d || !java.util.Arrays.equals(ks, v.shape())) {
            throw new IllegalArgumentException("attention: q " + java.util.Arrays.toString(qs) + ", k "
                    + java.util.Arrays.toString(ks) + ", v " + java.util.Arrays.toString(v.shape())
                    + " — need q [..., Tq, d] and k, v [..., Tk, d] with Tq <= Tk");
        }
        Var scores = q.matmul(k.transpose(-2, -1)).mul((float) (1.0 / Math.sqrt(d)));
        Var masked = Elementwise.maskedFill(scores, causalMask(tq, tk), Float.NEGATIVE_INFINITY);
        return probabilities.apply(masked.softmax(-1)).matmul(v);
    }

    /** 1 where key j lies in the future of query i ({@code j > i + tk − tq}), else 0: a {@code [tq, tk]} tensor. */
    public static Tensor causalMask(int tq, int tk) {
        Tensor mask = Tensor.zeros(tq, tk);
        float[] m = mask.storage();
        int shift = tk - tq;
        for (int i = 0; i < tq; i++) {
            for (int j = i + shift + 1; j < tk; j++) {
                m[i * tk + j] = 1f;
            }
        }
        return mask;
    }
}
