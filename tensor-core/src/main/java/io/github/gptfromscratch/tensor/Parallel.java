package io.github.gptfromscratch.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

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
    static final long MIN_WORK_PER_CHUNK = 32_768;

    private static final int POOL_THREADS = Math.max(1,
            Integer.getInteger("gptfs.threads", Runtime.getRuntime().availableProcessors()));

    private static final ForkJoinPool POOL = new ForkJoinPool(POOL_THREADS, pool -> {
        ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName("gptfs-worker-" + thread.getPoolIndex());
        thread.setDaemon(true);
        return thread;
    }, null, false);

    private static final ThreadLocal<Boolean> IN_REGION = ThreadLocal.withInitial(() -> false);

    private static volatile int activeThreads = POOL_THREADS;

    /** A body run over the half-open item range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
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
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int start = (int) ((long) n * c / chunks);
            int end = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = POOL.submit(() -> runInRegion(body, start, end));
        }
        RuntimeException failure = null;
        try {
            runInRegion(body, 0, (int) ((long) n / chunks));
        } catch (RuntimeException | Error e) {
            failure = e instanceof RuntimeException re ? re : new RuntimeException(e);
        }
        for (ForkJoinTask<?> task : tasks) {
            try {
                task.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
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
