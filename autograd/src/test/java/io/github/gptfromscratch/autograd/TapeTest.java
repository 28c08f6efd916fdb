package io.github.gptfromscratch.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.Tensor;

import java.lang.ref.WeakReference;

import org.junit.jupiter.api.Test;

/** How the tape records, back-propagates, accumulates and lets go of activations. */
class TapeTest {

    @Test
    void nothingIsRecordedOutsideATape() {
        assertFalse(Tape.isRecording());
        Var w = Var.parameter(Tensor.of(new float[] {1f, 2f}, 2));
        Var y = w.mul(w).tanh().sum();
        assertFalse(y.requiresGrad(), "a result computed without a tape is a constant");
        assertFalse(y.isParameter());
        assertNull(y.grad());
        assertNull(w.grad(), "no gradient appears without a backward pass");
        assertEquals((float) (Math.tanh(1) + Math.tanh(4)), y.value().item(), 1e-6f);
    }

    @Test
    void constantsAreNotRecordedEvenWhileATapeRecords() {
        Var c = Var.constant(Tensor.of(new float[] {1f, 2f}, 2));
        try (Tape tape = Tape.record()) {
            assertTrue(Tape.isRecording());
            Var y = c.exp().sum();
            assertFalse(y.requiresGrad());
            assertEquals(0, tape.size(), "operations on constants only are not recorded");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("does not depend"), e.getMessage());
        }
        assertFalse(Tape.isRecording());
    }

    @Test
    void gradientsAccumulateAcrossTapesUntilZeroed() {
        Var w = Var.parameter(Tensor.of(new float[] {1f, -2f, 3f}, 3));
        float[] once = {2f, -4f, 6f}; // d Σ w² / dw = 2w
        pass(w);
        assertArrayEquals(once, w.grad().toArray(), 0f);
        pass(w);
        assertArrayEquals(new float[] {4f, -8f, 12f}, w.grad().toArray(), 0f, "a second pass adds to the first");
        Tensor storage = w.grad();
        w.zeroGrad();
        assertSame(storage, w.grad(), "zeroGrad keeps the gradient's storage");
        assertArrayEquals(new float[3], w.grad().toArray(), 0f);
        pass(w);
        assertArrayEquals(once, w.grad().toArray(), 0f, "after zeroGrad the gradient starts over");
        w.dropGrad();
        assertNull(w.grad());
        pass(w);
        assertArrayEquals(once, w.grad().toArray(), 0f);
    }

    private static void pass(Var w) {
        try (Tape tape = Tape.record()) {
            tape.backward(w.pow(2f).sum());
        }
    }

    @Test
    void aReusedIntermediateGetsTheGradientOfEveryUse() {
        // micrograd's case: b = a + a; c = b * b, so c = 4a² and dc/da = 8a
        Var a = Var.parameter(Tensor.scalar(-3f));
        try (Tape tape = Tape.record()) {
            Var b = a.add(a);
            Var c = b.mul(b);
            tape.backward(c);
            assertEquals(36f, c.value().item(), 0f);
        }
        assertEquals(-24f, a.grad().item(), 0f);
    }

    @Test
    void aValueUsedByTwoBranchesSumsBothGradients() {
        Var x = Var.parameter(Tensor.of(new float[] {0.5f, 2f}, 2));
        try (Tape tape = Tape.record()) {
            Var y = x.exp();
            Var z = y.mul(x).add(y.log()).sum(); // x·eˣ + x
            tape.backward(z);
        }
        float[] g = x.grad().toArray();
        assertEquals((float) (Math.exp(0.5) * 1.5 + 1), g[0], 1e-5f);
        assertEquals((float) (Math.exp(2) * 3 + 1), g[1], 1e-4f);
    }

    @Test
    void backwardOnANonScalarNeedsASeedAndNamesTheShape() {
        Var w = Var.parameter(Tensor.ones(2, 3));
        try (Tape tape = Tape.record()) {
            Var y = w.mul(2f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        }
    }

    @Test
    void aSeedOfTheWrongShapeIsRejected() {
        Var w = Var.parameter(Tensor.ones(2, 3));
        try (Tape tape = Tape.record()) {
            Var y = w.mul(2f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tape.backward(y, Tensor.ones(3, 2)));
            assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
            tape.backward(y, Tensor.full(0.5f, 2, 3));
        }
        assertArrayEquals(Tensor.ones(2, 3).toArray(), w.grad().toArray(), 0f, "the seed scales the gradient");
    }

    @Test
    void backwardTwiceOnOneTapeIsAClearError() {
        Var w = Var.parameter(Tensor.scalar(2f));
        try (Tape tape = Tape.record()) {
            Var y = w.mul(w);
            tape.backward(y);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("already") && e.getMessage().contains("backward"), e.getMessage());
        }
        assertEquals(4f, w.grad().item(), 0f, "the failed second call added nothing");
    }

    @Test
    void afterBackwardTheTapeRecordsNothingMore() {
        Var w = Var.parameter(Tensor.scalar(2f));
        try (Tape tape = Tape.record()) {
            tape.backward(w.mul(w));
            assertEquals(0, tape.size());
            assertFalse(Tape.isRecording(), "a released tape no longer records");
            assertFalse(w.mul(w).requiresGrad());
        }
    }

    @Test
    void nestedTapesRecordIntoTheInnermostAndRestoreTheOuter() {
        Var w = Var.parameter(Tensor.scalar(3f));
        try (Tape outer = Tape.record()) {
            Var outerSquare = w.mul(w);
            assertEquals(1, outer.size());
            try (Tape inner = Tape.record()) {
                Var cube = w.pow(3f);
                assertEquals(1, inner.size());
                assertEquals(1, outer.size(), "the inner tape takes the operations recorded inside it");
                inner.backward(cube);
            }
            assertEquals(27f, w.grad().item(), 0f, "inner pass: d w³ = 3w²");
            assertTrue(Tape.isRecording(), "closing the inner tape resumes the outer one");
            Var total = outerSquare.add(w);
            assertEquals(2, outer.size());
            outer.backward(total);
        }
        assertFalse(Tape.isRecording());
        assertEquals(27f + 6f + 1f, w.grad().item(), 0f, "outer pass adds d(w² + w) = 2w + 1");
    }

    @Test
    void closingWithoutBackwardDropsTheEntries() {
        Var w = Var.parameter(Tensor.scalar(2f));
        Tape tape = Tape.record();
        w.mul(w).exp();
        assertEquals(2, tape.size());
        tape.close();
        assertEquals(0, tape.size());
        assertFalse(Tape.isRecording());
        assertNull(w.grad());
    }

    @Test
    void intermediatesKeepNoGradientAfterBackward() {
        Var w = Var.parameter(Tensor.of(new float[] {1f, 2f}, 2));
        Var hidden;
        try (Tape tape = Tape.record()) {
            hidden = w.tanh();
            tape.backward(hidden.sum());
        }
        assertNull(hidden.grad(), "an activation's gradient is handed on and forgotten");
        assertNotNull(w.grad());
    }

    /** What the forward pass leaves behind: the tape and a weak handle on a large activation. */
    private record Leftovers(Tape tape, WeakReference<Tensor> activation) {
    }

    @Test
    void backwardReleasesTheActivations() throws InterruptedException {
        Var w = Var.parameter(Tensor.full(0.5f, 1 << 20)); // 4 MB
        Leftovers left = forwardAndBackward(w);
        try {
            assertEquals(0, left.tape().size(), "the tape holds no entries after backward");
            for (int i = 0; i < 20 && left.activation().get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNull(left.activation().get(),
                    "the activation must be collectable while the tape object itself is still reachable");
            assertEquals((float) (Math.exp(0.5) * 2), w.grad().get(0), 1e-6f);
        } finally {
            left.tape().close();
        }
    }

    private static Leftovers forwardAndBackward(Var w) {
        Tape tape = Tape.record();
        Var big = w.exp(); // exp keeps its output for the backward pass
        WeakReference<Tensor> handle = new WeakReference<>(big.value());
        tape.backward(big.mul(2f).sum());
        return new Leftovers(tape, handle);
    }
}
