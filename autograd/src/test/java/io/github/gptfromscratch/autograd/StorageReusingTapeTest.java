package io.github.gptfromscratch.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.StorageReuse;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A tape that hands its activations' storage to the next step: same numbers, and no stale reads. */
class StorageReusingTapeTest {

    @AfterEach
    void emptyTheFreeLists() {
        StorageReuse.clear();
    }

    /** A small MLP with an embedding, views, a transposed weight, softmax cross-entropy and a shared input. */
    private static final class Net {
        final Var emb;
        final Var w1;
        final Var b1;
        final Var w2;

        Net(long seed) {
            Rng rng = new Rng(seed);
            emb = Var.parameter(Tensor.randn(rng, 11, 4));
            w1 = Var.parameter(Tensor.randn(rng, 12, 17).mul(0.3f));
            b1 = Var.parameter(Tensor.randn(rng, 17));
            w2 = Var.parameter(Tensor.randn(rng, 11, 17).mul(0.3f)); // [out, in]: used through linear's transpose
        }

        Var loss(IntTensor x, IntTensor y) {
            Var e = Indexing.embedding(emb, x).reshape(x.size(0), 12);
            Var h = MatMul.affine(e, w1, b1).tanh();
            Var h2 = h.add(h.mul(h)); // h used twice: its gradient is a sum
            return MatMul.linear(h2, w2, null).crossEntropy(y);
        }

        void sgd() {
            for (Var p : new Var[] {emb, w1, b1, w2}) {
                p.value().axpyInPlace(-0.1f, p.grad());
                p.zeroGrad();
            }
        }

        float[] weights() {
            return Tensor.concat(0, emb.value().reshape(-1), w1.value().reshape(-1), b1.value().reshape(-1),
                    w2.value().reshape(-1)).toArray();
        }
    }

    private static float[] train(boolean reuse, int steps) {
        Net net = new Net(3);
        Rng data = new Rng(9);
        float[] losses = new float[steps];
        for (int step = 0; step < steps; step++) {
            // Batches of 1 and 8 rows by turns: the batch-1 activations are as large as the bias gradients,
            // so storage passes between tensors of different roles and shapes.
            int rows = step % 2 == 0 ? 8 : 1;
            IntTensor x = IntTensor.of(randomTokens(data, rows * 3), rows, 3);
            IntTensor y = IntTensor.of(randomTokens(data, rows), rows);
            Supplier<Tape> tapes = reuse ? Tape::recordReusingStorage : Tape::record;
            try (Tape tape = tapes.get()) {
                Var loss = net.loss(x, y);
                tape.backward(loss);
                losses[step] = loss.value().item(); // the loss stays readable after backward
            }
            net.sgd();
        }
        float[] w = net.weights();
        float[] all = new float[steps + w.length];
        System.arraycopy(losses, 0, all, 0, steps);
        System.arraycopy(w, 0, all, steps, w.length);
        return all;
    }

    private static int[] randomTokens(Rng rng, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(11);
        }
        return t;
    }

    @Test
    void trainingWithReusedStorageGivesTheSameBits() {
        float[] plain = train(false, 25);
        float[] reused = train(true, 25);
        assertArrayEquals(plain, reused, 0f, "losses, then every weight after 25 SGD steps");
    }

    @Test
    void theStepsAfterTheFirstReuseItsStorage() {
        Net net = new Net(1);
        IntTensor x = IntTensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        IntTensor y = IntTensor.of(new int[] {7, 8}, 2);
        try (Tape tape = Tape.recordReusingStorage()) {
            tape.backward(net.loss(x, y));
        }
        long handedOn = StorageReuse.freeFloats();
        assertTrue(handedOn > 0, "activations and gradients go to the free lists");
        try (Tape tape = Tape.recordReusingStorage()) {
            Var loss = net.loss(x, y);
            assertTrue(StorageReuse.freeFloats() < handedOn, "the second forward pass takes from them");
            tape.backward(loss);
        }
        assertEquals(handedOn, StorageReuse.freeFloats(), "and gives the same back");
    }

    @Test
    void anIntermediateCannotBeReadAfterItsStorageMovedOn() {
        Net net = new Net(2);
        Var hidden;
        Var loss;
        try (Tape tape = Tape.recordReusingStorage()) {
            hidden = MatMul.affine(Indexing.embedding(net.emb, IntTensor.of(new int[] {1, 2, 3}, 1, 3)).reshape(1, 12),
                    net.w1, net.b1);
            loss = hidden.tanh().sum();
            tape.backward(loss);
        }
        loss.value().item();
        IllegalStateException e = assertThrows(IllegalStateException.class, hidden::value);
        assertTrue(e.getMessage().contains("recordReusingStorage") && e.getMessage().contains("[1, 17]"), e.getMessage());
    }

    @Test
    void aParameterMadeWhileTheTapeRecordsKeepsItsStorage() {
        Var w;
        try (Tape tape = Tape.recordReusingStorage()) {
            w = Var.parameter(Tensor.full(0.5f, 3, 4));
            // A recorded view of w shares its storage: it must not be handed on with the activations.
            tape.backward(w.transpose(0, 1).tanh().sum());
        }
        float[] before = w.value().toArray();
        try (Tape tape = Tape.recordReusingStorage()) {
            Var x = Var.parameter(Tensor.ones(4, 3));
            tape.backward(x.mul(2f).exp().sum()); // allocates tensors of w's size
        }
        assertArrayEquals(before, w.value().toArray(), 0f);
        for (float v : w.value().toArray()) {
            assertEquals(0.5f, v, 0f);
        }
    }

    @Test
    void withoutBackwardNothingMovesOn() {
        Net net = new Net(2);
        Var loss;
        try (Tape tape = Tape.recordReusingStorage()) {
            loss = net.loss(IntTensor.of(new int[] {1, 2, 3}, 1, 3), IntTensor.of(new int[] {4}, 1));
        }
        assertEquals(0, StorageReuse.freeFloats());
        assertTrue(Float.isFinite(loss.value().item()));
    }

    @Test
    void aStorageReusingTapeMustBeTheOutermost() {
        try (Tape outer = Tape.record()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, Tape::recordReusingStorage);
            assertTrue(e.getMessage().contains("nested"), e.getMessage());
        }
        try (Tape tape = Tape.recordReusingStorage()) {
            assertTrue(Tape.isRecording());
        }
    }
}
