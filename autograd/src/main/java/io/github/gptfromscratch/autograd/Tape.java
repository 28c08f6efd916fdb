package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.StorageReuse;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A recording of differentiable operations, for reverse-mode differentiation.
 *
 * <p>While a tape records on a thread, every operation on a {@link Var} that requires a gradient
 * appends one entry (its output and the function that pushes the output's gradient to its inputs).
 * The order of recording is already a topological order, so {@link #backward(Var)} simply walks the
 * entries in reverse. Afterwards the tape is released: it drops every entry, and with them the
 * activations they held. Outside a recording tape nothing is recorded, so inference builds no graph.
 *
 * <pre>{@code
 * try (Tape tape = Tape.record()) {
 *     Var loss = model.forward(x).crossEntropy(y);
 *     tape.backward(loss);          // fills w.grad() for every parameter w
 * }
 * optimizer.step();
 * }</pre>
 *
 * <p>A training loop that runs the same step again and again can use {@link #recordReusingStorage()}
 * instead: the backward pass then hands the storage of the activations and gradients it has finished
 * with to the next step's tensors (see {@link StorageReuse}), so the step stops allocating.
 */
public final class Tape implements AutoCloseable {

    private static final ThreadLocal<Tape> CURRENT = new ThreadLocal<>();

    /** Pushes the gradient of one recorded output to the inputs of its operation. */
    @FunctionalInterface
    public interface Backward {
        /** Accumulates into the inputs given d(objective)/d(output). */
        void propagate(Tensor gradOutput);
    }

    private record Entry(Var output, Backward backward) {
    }

    private final Tape enclosing;
    private final Thread owner;
    /** Open while a storage-reusing tape records; null for a plain tape. */
    private final StorageReuse.Window window;
    private List<Entry> entries = new ArrayList<>();
    private boolean closed;
    private boolean released;

    private Tape(Tape enclosing, StorageReuse.Window window) {
        this.enclosing = enclosing;
        this.owner = Thread.currentThread();
        this.window = window;
    }

    /** Starts recording on the current thread until {@link #close()}; tapes nest. */
    public static Tape record() {
        Tape tape = new Tape(CURRENT.get(), null);
        CURRENT.set(tape);
        return tape;
    }

    /**
     * Starts recording as {@link #record()} does, for a training step: when {@link #backward} finishes, the
     * storage of every intermediate value and gradient it made is reused by tensors this thread allocates
     * later. The output given to {@code backward} (the loss) and the seed stay readable; every other value
     * computed while this tape recorded must not be read afterwards (its {@link Var#value()} throws, and a
     * tensor taken from it earlier may already hold another step's numbers). Copy what you keep.
     *
     * Parameters made while it records ({@link Var#parameter}) are kept out of the reuse. A plain tape
     * opened inside it records its own intermediates: their gradients are not retired and may be
     * overwritten by later steps once the outer backward is done.
     *
     * @throws IllegalStateException if another tape is recording on this thread: a storage-reusing tape
     *                               must be the outermost, so that nothing outside it holds its values
     */
    public static Tape recordReusingStorage() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("Tape.recordReusingStorage: another tape is recording on this thread; "
                    + "a storage-reusing tape cannot be nested (use Tape.record() inside another tape)");
        }
        Tape tape = new Tape(null, StorageReuse.open());
        CURRENT.set(tape);
        return tape;
    }

    /** Whether operations on this thread are being recorded now. */
    public static boolean isRecording() {
        Tape tape = CURRENT.get();
        return tape != null && !tape.released;
    }

    /** Number of recorded operations. */
    public int size() {
        return entries == null ? 0 : entries.size();
    }

    /**
     * Records the output of an operation if any input requires a gradient and a tape is recording;
     * otherwise returns the value as a constant. Operations call this right after computing their
     * forward value, with the backward function beside it.
     */
    public static Var record(Tensor value, Backward backward, Var... inputs) {
        Tape tape = CURRENT.get();
        if (tape == null || tape.released || !anyRequiresGrad(inputs)) {
            return Var.constant(value);
        }
        Var out = Var.intermediate(value);
        tape.entries.add(new Entry(out, backward));
        return out;
    }

    private static boolean anyRequiresGrad(Var[] inputs) {
        for (Var v : inputs) {
            if (v != null && v.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Back-propagates from a scalar: d(loss)/d(loss) = 1, then every recorded operation in reverse.
     * Gradients accumulate into {@link Var#grad()} of every value that requires one. Releases the tape.
     *
     * @throws IllegalArgumentException if {@code loss} has more than one element
     * @throws IllegalStateException    if this tape was already released
     */
    public void backward(Var loss) {
        if (loss.value().numel() != 1) {
            throw new IllegalArgumentException("backward: the output has shape " + Arrays.toString(loss.value().shape())
                    + "; only a scalar can be differentiated without a seed gradient — use backward(output, seed)");
        }
        backward(loss, Tensor.ones(loss.value().shape()));
    }

    /** Back-propagates from any output, with {@code seed} as d(objective)/d(output). Releases the tape. */
    public void backward(Var output, Tensor seed) {
        if (released) {
            throw new IllegalStateException("backward: this tape was already released by an earlier backward(); "
                    + "record the forward pass again on a new tape");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("backward: a tape must be used on the thread that recorded it");
        }
        if (!Arrays.equals(seed.shape(), output.value().shape())) {
            throw new IllegalArgumentException("backward: seed gradient of shape " + Arrays.toString(seed.shape())
                    + " does not match the output's shape " + Arrays.toString(output.value().shape()));
        }
        if (!output.requiresGrad()) {
            throw new IllegalArgumentException("backward: the output does not depend on anything that requires a "
                    + "gradient (was it computed while this tape was recording?)");
        }
        output.accumulate(seed);
        // A storage-reusing tape keeps the tensors whose storage it will hand on (no more than its window
        // tracks); a plain one lets each activation go as soon as its entry is done.
        List<Tensor> finished = window == null ? null : new ArrayList<>(2 * entries.size());
        List<Var> retiring = window == null ? null : new ArrayList<>(entries.size());
        boolean completed = false;
        try {
            for (int i = entries.size() - 1; i >= 0; i--) {
                Entry entry = entries.get(i);
                entries.set(i, null);
                Tensor g = entry.output().takeGrad();
                if (g != null) {
                    entry.backward().propagate(g);
                }
                if (window != null && entry.output() != output) {
                    Var out = entry.output();
                    if (keepIfTracked(finished, out.valueUnchecked())) {
                        retiring.add(out); // retired once backward has succeeded, when its storage moves on
                    } else {
                        out.retire(); // holding it would keep an activation alive for nothing
                    }
                    keepIfTracked(finished, g);
                }
            }
            completed = true;
        } finally {
            if (completed && window != null) {
                for (Var v : retiring) {
                    v.retire();
                }
                window.reuse(finished, output.value(), seed);
            }
            release();
        }
    }

    /** Adds {@code t} to {@code finished} when this tape's window may hand its storage on. */
    private boolean keepIfTracked(List<Tensor> finished, Tensor t) {
        if (t != null && window.tracks(t)) {
            finished.add(t);
            return true;
        }
        return false;
    }

    /** Drops every recorded entry without back-propagating (and reuses nothing). */
    private void release() {
        released = true;
        entries = null;
        if (window != null) {
            window.close();
        }
    }

    /** Stops recording on this thread (restoring an enclosing tape) and releases the entries. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (CURRENT.get() == this) {
            if (enclosing == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(enclosing);
            }
        }
        release();
    }
}
