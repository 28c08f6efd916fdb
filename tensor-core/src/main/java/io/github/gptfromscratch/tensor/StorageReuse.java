package io.github.gptfromscratch.tensor;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Storage of one training step's temporary tensors handed to the next step, on one thread.
 *
 * <p>A training step allocates the same activations and gradients every time. Fresh arrays from the JVM
 * come zeroed from memory that is not in any cache, and the garbage collector later has to find them
 * dead: on a small model (the makemore MLP, about 125 KB of temporaries per 50 µs step) that costs a
 * tenth of the step. A {@link Window} records which arrays this thread allocates while it is open; the
 * autograd tape, once its backward pass is done, hands back the tensors it knows are dead, and those of
 * them that were allocated inside the window go to this thread's free lists, where the next window's
 * tensors of the same size find them (zeroed, still in cache). Allocation outside a window never takes
 * from the free lists.
 *
 * <p>Only storage allocated inside the window can be reused: anything made before the window opened, or
 * made inside it and then {@linkplain #keep kept} (a parameter), is never touched, whatever the caller
 * hands back. The free lists of each thread hold at most an eighth of the maximum heap, through soft
 * references, and a window tracks at most as much: a program that needs the memory for something else
 * (a large evaluation between steps) gets it back from the collector before it would run out of heap.
 */
public final class StorageReuse {

    private static final ThreadLocal<StorageReuse> LOCAL = ThreadLocal.withInitial(StorageReuse::new);
    /** Floats the free lists of one thread may hold: an eighth of the heap. */
    private static final long MAX_FREE_FLOATS = Runtime.getRuntime().maxMemory() / 8 / Float.BYTES;
    /** Set once any thread opens a window: until then allocation does not look at the thread-local state. */
    private static volatile boolean used;

    /** Free arrays by length. Soft: the garbage collector takes them back before it would run out of heap. */
    private final Map<Integer, ArrayDeque<SoftReference<float[]>>> free = new HashMap<>();
    private long freeFloats;
    private Window window;

    private StorageReuse() {
    }

    /**
     * Starts recording the arrays that tensors allocated on this thread get, until the window is
     * closed or {@link Window#reuse reuses} what was handed back.
     *
     * @throws IllegalStateException if a window is already open on this thread
     */
    public static Window open() {
        used = true;
        StorageReuse local = LOCAL.get();
        if (local.window != null) {
            throw new IllegalStateException("StorageReuse.open: a window is already open on this thread; "
                    + "close it first (windows do not nest)");
        }
        local.window = new Window(local);
        return local.window;
    }

    /**
     * Storage for a new tensor of {@code n} floats: a reused array when this thread has one of that size,
     * cleared when {@code zeroed}; otherwise the caller writes every element before anyone reads it, and a
     * reused array keeps the numbers of its last tensor, which saves filling it with zeros first.
     */
    static float[] take(int n, boolean zeroed) {
        if (!used) {
            return new float[n];
        }
        StorageReuse local = LOCAL.get();
        Window window = local.window;
        if (window == null) {
            // Outside a step (the optimizer, an evaluation) storage is not handed back: taking from the
            // free lists there would only leave the next step to allocate afresh.
            return new float[n];
        }
        float[] data = null;
        ArrayDeque<SoftReference<float[]>> list = local.free.get(n);
        while (data == null && list != null && !list.isEmpty()) {
            data = list.pollLast().get(); // null when the collector took it back
            local.freeFloats -= n;
        }
        if (data == null) {
            data = new float[n];
        } else if (zeroed) {
            Arrays.fill(data, 0f);
        }
        // The window holds what it tracks until backward ends: past the free lists' own limit, an array
        // could not go back anyway, so the window does not keep it alive either.
        if (window.trackedFloats + n <= MAX_FREE_FLOATS) {
            window.fresh.add(data);
            window.trackedFloats += n;
        }
        return data;
    }

    /**
     * Excludes {@code t}'s storage from reuse by the window open on this thread, if any: for tensors that
     * outlive the step although they were made during it (a parameter created while a tape records).
     */
    public static void keep(Tensor t) {
        if (!used) {
            return;
        }
        Window window = LOCAL.get().window;
        if (window != null) {
            window.fresh.remove(t.data);
        }
    }

    /**
     * Floats waiting in this thread's free lists (for tests and diagnostics), counting arrays the garbage
     * collector may have taken back since.
     */
    public static long freeFloats() {
        return LOCAL.get().freeFloats;
    }

    /** Empties this thread's free lists, leaving their arrays to the garbage collector. */
    public static void clear() {
        StorageReuse local = LOCAL.get();
        local.free.clear();
        local.freeFloats = 0;
    }

    private void give(float[] data) {
        if (freeFloats + data.length > MAX_FREE_FLOATS) {
            dropCollected();
        }
        if (freeFloats + data.length > MAX_FREE_FLOATS) {
            return;
        }
        free.computeIfAbsent(data.length, n -> new ArrayDeque<>()).addLast(new SoftReference<>(data));
        freeFloats += data.length;
    }

    /** Forgets the entries whose arrays the collector took back, so that they stop counting. */
    private void dropCollected() {
        freeFloats = 0;
        for (Map.Entry<Integer, ArrayDeque<SoftReference<float[]>>> e : free.entrySet()) {
            e.getValue().removeIf(ref -> ref.get() == null);
            freeFloats += (long) e.getKey() * e.getValue().size();
        }
        free.values().removeIf(ArrayDeque::isEmpty);
    }

    /** The arrays one thread allocated since {@link StorageReuse#open()}; closing it forgets them. */
    public static final class Window implements AutoCloseable {
        private final StorageReuse owner;
        private final Set<float[]> fresh = Collections.newSetFromMap(new IdentityHashMap<>());
        private long trackedFloats;
        private final Thread thread = Thread.currentThread();

        private Window(StorageReuse owner) {
            this.owner = owner;
        }

        /**
         * Puts the storage of {@code dead} back for reuse, where it was allocated in this window, except
         * the storage {@code keep} shares; then closes the window. The caller promises that no tensor it
         * or anyone else still reads shares storage with a dead tensor (views included).
         *
         * @throws IllegalStateException if called from another thread than the one that opened the window
         */
        public void reuse(Iterable<Tensor> dead, Tensor... keep) {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("StorageReuse.Window.reuse: called on another thread than the one "
                        + "that opened the window");
            }
            if (owner.window != this) {
                return; // already closed
            }
            for (Tensor k : keep) {
                if (k != null) {
                    fresh.remove(k.data);
                }
            }
            for (Tensor t : dead) {
                // remove() makes each array go back once, however many views of it were handed back.
                if (t != null && fresh.remove(t.data)) {
                    owner.give(t.data);
                }
            }
            close();
        }

        /** Whether {@code t}'s storage was allocated in this window and may still be reused. */
        public boolean tracks(Tensor t) {
            return fresh.contains(t.data);
        }

        /** Stops recording without reusing anything. */
        @Override
        public void close() {
            if (owner.window == this) {
                owner.window = null;
            }
            fresh.clear();
            trackedFloats = 0;
        }
    }
}
