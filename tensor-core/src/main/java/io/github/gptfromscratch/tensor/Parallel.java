package io.github.gptfromscratch.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one place that splits work across threads.
 *
 * <p>All parallel work in the library runs on one shared pool, sized once by the system property
 * {@code gptfs.threads} (default: all cores), so many models in one JVM never multiply threads.
 * Kernels describe their work as a range of independent items and an estimate of the cost of one
 * item; work that is too small to pay for a hand-off stays on the calling thread, and a parallel
 * region started from inside another runs serially instead of oversubscribing the cores.
 *
 * <pre>{@code
 * Parallel.forRange(rows, 2L * cols, (start, end) -> {
 *     for (int r = start; r < end; r++) { ... }
 * });
 * }</pre>
 */
public final class Parallel {

    /** Work below this many estimated operations per chunk is not worth a thread hand-off. */
    static final long MIN_WORK_PER_CHUNK = 262_144;

    private static final int POOL_THREADS = Math.max(1,
            Integer.getInteger("gptfs.threads", Runtime.getRuntime().availableProcessors()));

    /** Helpers beside the calling thread; they spin briefly between regions, then park. */
    private static final Worker[] WORKERS = startWorkers(POOL_THREADS - 1);

    /** One region at a time owns the workers; a caller that finds them busy runs its region alone. */
    private static final ReentrantLock REGION = new ReentrantLock();

    private static final ThreadLocal<Boolean> IN_REGION = ThreadLocal.withInitial(() -> false);

    private static volatile int activeThreads = POOL_THREADS;

    /** A body run over the half-open item range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        /** Does the items {@code start} (inclusive) to {@code end} (exclusive). */
        void run(int start, int end);
    }

    private Parallel() {
    }

    /** The number of threads parallel regions currently use (the caller included). */
    public static int threads() {
        return activeThreads;
    }

    /** The size of the shared pool, fixed at start-up by {@code gptfs.threads}. */
    public static int poolThreads() {
        return POOL_THREADS;
    }

    /**
     * Limits parallel regions to {@code n} threads (1 keeps all work on the caller). The pool itself
     * is not resized: this only changes how many chunks a region is cut into.
     *
     * @throws IllegalArgumentException if {@code n} is not in {@code [1, poolThreads()]}
     */
    public static void setThreads(int n) {
        if (n < 1 || n > POOL_THREADS) {
            throw new IllegalArgumentException("Parallel.setThreads: " + n + " is not in [1, " + POOL_THREADS
                    + "] (the pool size is set by -Dgptfs.threads)");
        }
        activeThreads = n;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in contiguous chunks, one per thread at most.
     *
     * @param n           number of independent items
     * @param costPerItem rough count of arithmetic operations per item, used to keep small work serial
     * @param body        the work; it must only write to what belongs to its own items
     */
    public static void forRange(int n, long costPerItem, RangeBody body) {
        int chunks = chunksFor(n, costPerItem);
        if (chunks <= 1 || !REGION.tryLock()) {
            body.run(0, n);
            return;
        }
        Throwable failure = null;
        try {
            for (int c = 1; c < chunks; c++) {
                WORKERS[c - 1].submit(body, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            }
            try {
                runInRegion(body, 0, (int) ((long) n / chunks));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int c = 1; c < chunks; c++) {
                Throwable e = WORKERS[c - 1].await();
                if (failure == null) {
                    failure = e;
                }
            }
        } finally {
            REGION.unlock();
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
    }

    /** How many chunks {@link #forRange} would use: 1 inside another region or for small work. */
    public static int chunksFor(int n, long costPerItem) {
        int threads = activeThreads;
        if (threads <= 1 || n <= 1 || IN_REGION.get()) {
            return 1;
        }
        long total = (long) n * Math.max(1, costPerItem);
        long byWork = total / MIN_WORK_PER_CHUNK;
        return (int) Math.max(1, Math.min(Math.min(threads, n), byWork));
    }

    private static Worker[] startWorkers(int count) {
        Worker[] workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
        return workers;
    }

    /**
     * A helper thread that runs one chunk at a time. Training hands out hundreds of regions per step,
     * microseconds apart: waking a parked thread for each costs tens of microseconds, so a worker spins
     * for a while after each chunk (as OpenMP runtimes do) and only then parks.
     *
     * <p>A chunk is claimed, by compare-and-set, either by the helper or by the caller once its own chunk
     * is done: on a machine busier than its cores, a helper that the OS has not scheduled would otherwise
     * hold the caller for a whole time slice, and two threads would run slower than one. Since a late
     * helper no longer stalls anyone, the spin is short: 2 ms of spinning after every region kept a core
     * busy through the serial stretches of a step, which on a loaded 2-core machine took time from the
     * caller (GPT CPU step on 2 threads beside one busy process: 180 ms with the 2 ms spin and no claiming,
     * 75 ms with claiming, 58 ms with the 0.2 ms spin; 44 ms on one thread; 33 ms either way when quiet).
     */
    private static final class Worker extends Thread {
        private static final long SPIN_NANOS = 200_000;
        private static final int IDLE = 0;
        private static final int SUBMITTED = 1;
        private static final int RUNNING = 2;
        private static final int DONE = 3;

        private final AtomicInteger state = new AtomicInteger(IDLE);
        private RangeBody body;
        private int start;
        private int end;
        private Throwable error;

        Worker(int index) {
            super("gptfs-worker-" + index);
            setDaemon(true);
        }

        /** Hands over a chunk; the fields are published by the volatile write of the state. */
        void submit(RangeBody task, int from, int to) {
            body = task;
            start = from;
            end = to;
            error = null;
            state.set(SUBMITTED);
            LockSupport.unpark(this);
        }

        /**
         * Finishes the chunk: runs it on the calling thread if the helper has not claimed it yet,
         * otherwise waits for the helper. Returns what the chunk threw, if anything.
         */
        Throwable await() {
            if (state.compareAndSet(SUBMITTED, IDLE)) {
                try {
                    runInRegion(body, start, end);
                    return null;
                } catch (Throwable t) {
                    return t;
                } finally {
                    body = null;
                }
            }
            int spins = 0;
            while (state.get() != DONE) {
                if (++spins < 10_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable e = error;
            body = null;
            state.set(IDLE);
            return e;
        }

        @Override
        public void run() {
            IN_REGION.set(true);
            while (true) {
                waitForSubmission();
                if (!state.compareAndSet(SUBMITTED, RUNNING)) {
                    continue; // the caller ran it itself
                }
                try {
                    body.run(start, end);
                } catch (Throwable t) {
                    error = t;
                }
                state.set(DONE);
            }
        }

        private void waitForSubmission() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            while (state.get() != SUBMITTED) {
                if ((++spins & 63) != 0 || System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    spinUntil = System.nanoTime() + SPIN_NANOS;
                }
            }
        }
    }

    private static void runInRegion(RangeBody body, int start, int end) {
        boolean outer = IN_REGION.get();
        IN_REGION.set(true);
        try {
            body.run(start, end);
        } finally {
            IN_REGION.set(outer);
        }
    }
}
