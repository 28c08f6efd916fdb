package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused attention kernel agrees with matmul → mask → softmax → matmul, forward and backward. */
class FusedAttentionProperties {

    private static double relativeError(Tensor expected, Tensor actual) {
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < e.length; i++) {
            diff += (double) (e[i] - a[i]) * (e[i] - a[i]);
            norm += (double) e[i] * e[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
    }

    @Property(tries = 60)
    void fusedMatchesComposed(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 3) int heads,
                              @ForAll @IntRange(min = 1, max = 150) int tk, @ForAll @IntRange(min = 1, max = 40) int d,
                              @ForAll @IntRange(min = 0, max = 150) int cut, @ForAll long seed) {
        int tq = Math.max(1, tk - cut); // queries are the last tq positions; tq == tk is ordinary self-attention
        Rng rng = new Rng(seed);
        // q, k, v as strided views of one [B, T, 3·H·d] projection, as in the GPT
        Tensor qkvK = Tensor.randn(rng, batch, tk, 3 * heads * d);
        Tensor kv = qkvK;
        Tensor qT = Tensor.randn(rng, batch, heads, tq, d);
        Tensor kT = kv.slice(2, heads * d, 2 * heads * d).reshape(batch, tk, heads, d).transpose(1, 2);
        Tensor vT = kv.slice(2, 2 * heads * d, 3 * heads * d).reshape(batch, tk, heads, d).transpose(1, 2);
        Tensor dy = Tensor.randn(rng, batch, heads, tq, d);

        Var q1 = Var.parameter(qT.copy());
        Var k1 = Var.parameter(kT.copy());
        Var v1 = Var.parameter(vT.copy());
        Var q2 = Var.parameter(qT);
        Var k2 = Var.parameter(kT);
        Var v2 = Var.parameter(vT);
        Tensor composed;
        Tensor fused;
        try (Tape tape = Tape.record()) {
            Var y = Attention.causalComposed(q1, k1, v1, UnaryOperator.identity());
            composed = y.value();
            tape.backward(y, dy);
        }
        try (Tape tape = Tape.record()) {
            Var y = Attention.causal(q2, k2, v2);
            fused = y.value();
            tape.backward(y, dy);
        }
        String where = " (B=" + batch + " H=" + heads + " Tq=" + tq + " Tk=" + tk + " d=" + d + " seed=" + seed + ")";
        check("output" + where, composed, fused);
        check("dq" + where, q1.grad(), q2.grad());
        check("dk" + where, k1.grad(), k2.grad());
        check("dv" + where, v1.grad(), v2.grad());
    }

    private static void check(String what, Tensor expected, Tensor actual) {
        double err = relativeError(expected, actual);
        assertTrue(err < 1e-5, what + ": relative error " + err);
    }
}
