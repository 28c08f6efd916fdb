package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.tensor.internal.kernels.PeakFlops;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * One-thread matmul speed per second of CPU time rather than of wall time, for machines shared with
 * other work, where JMH's wall-clock figures mostly measure the time the thread waited for a core.
 * Each implementation runs on the calling thread only (OpenBLAS needs {@code OPENBLAS_NUM_THREADS=1}),
 * so the thread's CPU time is the time the product took; cache interference from the neighbours remains.
 *
 * <pre>
 * OPENBLAS_NUM_THREADS=1 java --add-modules jdk.incubator.vector \
 *     -Ddev.ludovic.netlib.blas.nativeLibPath=$(scripts/install-openblas.sh) \
 *     -cp benchmarks/target/benchmarks.jar io.github.gptfromscratch.benchmarks.MatmulCpuTime \
 *     gptfs,openblas 512x512x512 1024x1024x1024 768x128x512
 * </pre>
 * Prints first the FMA limit of one core ({@link PeakFlops}), then per implementation and shape
 * (m x k x n) the median and best GFLOPS over {@value #ROUNDS} rounds of at least
 * {@value #ROUND_CPU_NANOS} ns of CPU time each, after a warm-up.
 */
public final class MatmulCpuTime {

    private static final int ROUNDS = 7;
    private static final long ROUND_CPU_NANOS = 500_000_000L;
    private static final long WARM_UP_CPU_NANOS = 2_000_000_000L;
    private static final long PEAK_ITERATIONS = 200_000;

    /** Where the FMA chains' result goes, so that the JIT cannot drop them as dead code. */
    private static volatile float peakSink;

    private MatmulCpuTime() {
    }

    /** Arguments: a comma-separated list of implementations, then shapes {@code m x k x n}. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: MatmulCpuTime gptfs,openblas,naive 512x512x512 [more shapes m x k x n]");
            System.exit(2);
        }
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        double gigaflopPerPeakCall = PeakFlops.flopsPerCall(PEAK_ITERATIONS) / 1e9;
        report("peak", PeakFlops.vectorBits() + "-bit FMA", rounds(bean,
                () -> peakSink = PeakFlops.fmaChains(PEAK_ITERATIONS, 1.0000001f), gigaflopPerPeakCall));
        for (String impl : args[0].split(",")) {
            for (int s = 1; s < args.length; s++) {
                MatmulProblem problem = MatmulProblem.ofShape(impl, 1, args[s]);
                // The product lands in an array the problem keeps, so the JIT cannot drop it.
                report(impl, args[s], rounds(bean, problem::multiply, problem.gigaflop()));
            }
        }
    }

    private static void report(String what, String shape, double[] sortedGflops) {
        System.out.printf(Locale.ROOT, "%-9s %-16s median %6.1f  best %6.1f GFLOPS per CPU-second%n",
                what, shape, sortedGflops[ROUNDS / 2], sortedGflops[ROUNDS - 1]);
    }

    /** A warm-up, then {@value #ROUNDS} timed rounds of {@code work}; returns their GFLOPS, sorted. */
    private static double[] rounds(ThreadMXBean bean, Runnable work, double gigaflopPerCall) {
        runFor(bean, work, gigaflopPerCall, WARM_UP_CPU_NANOS);
        double[] gflops = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            gflops[r] = runFor(bean, work, gigaflopPerCall, ROUND_CPU_NANOS);
        }
        Arrays.sort(gflops);
        return gflops;
    }

    /** Repeats {@code work} for at least {@code cpuNanos} of this thread's CPU time; returns GFLOPS. */
    private static double runFor(ThreadMXBean bean, Runnable work, double gigaflopPerCall, long cpuNanos) {
        long start = bean.getCurrentThreadCpuTime();
        long calls = 0;
        long elapsed;
        do {
            work.run();
            calls++;
            elapsed = bean.getCurrentThreadCpuTime() - start;
        } while (elapsed < cpuNanos);
        return gigaflopPerCall * calls / (elapsed / 1e9);
    }
}
