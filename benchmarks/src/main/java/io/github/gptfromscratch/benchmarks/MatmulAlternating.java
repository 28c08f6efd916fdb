package io.github.gptfromscratch.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * Matmul ratios measured in one JVM, the two sides alternating pass by pass, for hosts whose speed drifts
 * by 20–30% within minutes (this project's shared VM): JMH measures one implementation after the other,
 * so such a drift lands on one side only, while here both sides of every ratio see the same minute.
 *
 * <pre>
 * OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1 java --add-modules jdk.incubator.vector \
 *     -XX:PerMethodTrapLimit=10000 -Ddev.ludovic.netlib.blas.nativeLibPath=$(scripts/install-openblas.sh) \
 *     -cp benchmarks/target/benchmarks.jar io.github.gptfromscratch.benchmarks.MatmulAlternating \
 *     openblas 512x512x512 1024x1024x1024
 * java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=10000 \
 *     -cp benchmarks/target/benchmarks.jar io.github.gptfromscratch.benchmarks.MatmulAlternating \
 *     scaling 1024x1024x1024
 * </pre>
 * {@code openblas}: this library against OpenBLAS, one thread each. {@code scaling}: this library on two
 * threads against itself on one (OpenBLAS stays out: its threads spin after each call and would take the
 * core our helper needs). Prints per shape (m x k x n) the median GFLOPS of each side and the median and
 * quartiles of the per-pass ratios, over {@value #PASSES} passes of at least {@value #PASS_NANOS} ns each
 * after {@value #WARM_UP_PASSES} discarded ones.
 */
public final class MatmulAlternating {

    private static final int PASSES = 30;
    private static final int WARM_UP_PASSES = 5;
    private static final long PASS_NANOS = 300_000_000L;

    private MatmulAlternating() {
    }

    /** Arguments: {@code openblas} or {@code scaling}, then shapes {@code m x k x n}. */
    public static void main(String[] args) {
        if (args.length < 2 || !(args[0].equals("openblas") || args[0].equals("scaling"))) {
            System.err.println("usage: MatmulAlternating openblas|scaling 512x512x512 [more shapes m x k x n]");
            System.exit(2);
        }
        boolean scaling = args[0].equals("scaling");
        for (int s = 1; s < args.length; s++) {
            // Each side is checked against a float64 reference when it is built (MatmulProblem).
            Side first = scaling ? new Side("gptfs 2 threads", "gptfs", 2, args[s])
                    : new Side("gptfs", "gptfs", 1, args[s]);
            Side second = scaling ? new Side("gptfs 1 thread", "gptfs", 1, args[s])
                    : new Side("OpenBLAS", "openblas", 1, args[s]);
            int repetitions = Math.max(1, (int) (PASS_NANOS / Math.max(1, first.timeOnce())));
            double[] ratios = new double[PASSES];
            for (int pass = -WARM_UP_PASSES; pass < PASSES; pass++) {
                double a = first.pass(repetitions, pass);
                double b = second.pass(repetitions, pass);
                if (pass >= 0) {
                    ratios[pass] = a / b;
                }
            }
            Arrays.sort(ratios);
            System.out.printf(Locale.ROOT, "%-16s %s %.1f GFLOPS, %s %.1f GFLOPS; ratio median %.3f "
                            + "(quartiles %.3f-%.3f)%n", args[s], first.name, first.medianGflops(),
                    second.name, second.medianGflops(), ratios[PASSES / 2], ratios[PASSES / 4],
                    ratios[3 * PASSES / 4]);
        }
    }

    /** One side of a ratio: an implementation at a thread count, and its GFLOPS per pass. */
    private static final class Side {
        final String name;
        private final MatmulImpl impl;
        private final int threads;
        private final MatmulProblem problem;
        private final double[] gflops = new double[PASSES];

        Side(String name, String impl, int threads, String shape) {
            this.name = name;
            this.impl = MatmulImpl.named(impl);
            this.threads = threads;
            this.problem = MatmulProblem.ofShape(impl, threads, shape);
        }

        long timeOnce() {
            prepare();
            long start = System.nanoTime();
            problem.multiply();
            return System.nanoTime() - start;
        }

        /** Runs the product {@code repetitions} times; returns GFLOPS and keeps it unless a warm-up pass. */
        double pass(int repetitions, int pass) {
            prepare();
            long start = System.nanoTime();
            float sink = 0;
            for (int r = 0; r < repetitions; r++) {
                sink += problem.multiply()[0];
            }
            double result = problem.gigaflop() * repetitions / ((System.nanoTime() - start) / 1e9);
            if (Float.isNaN(sink)) {
                throw new IllegalStateException(name + " produced NaN");
            }
            if (pass >= 0) {
                gflops[pass] = result;
            }
            return result;
        }

        double medianGflops() {
            double[] sorted = gflops.clone();
            Arrays.sort(sorted);
            return sorted[PASSES / 2];
        }

        /** Sets the thread count again before each pass: OpenBLAS's preparation sets ours to one. */
        private void prepare() {
            impl.prepare(threads);
        }
    }
}
