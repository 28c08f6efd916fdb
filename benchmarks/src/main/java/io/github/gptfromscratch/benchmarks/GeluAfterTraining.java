package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.tensor.Parallel;
import io.github.gptfromscratch.tensor.internal.kernels.BinaryOp;
import io.github.gptfromscratch.tensor.internal.kernels.Kernels;
import io.github.gptfromscratch.tensor.internal.kernels.UnaryOp;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Random;

/**
 * A probe for how C2 compiled the GELU kernels: runs {@code warm} GPT CPU-recipe training steps first, then
 * times GELU and its backward on 768×512 floats and reports the bytes allocated per element. A clean
 * compile allocates nothing; a vector the Vector API had to box shows up as bytes per element. On JDK 17
 * the kernels compile cleanly after no training (0.4-0.6 ns per element) and usually box after 300 steps,
 * on one thread or two (see docs/perf/pytorch-comparison.md, session 7).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target-bench/benchmarks.jar \
 *     io.github.gptfromscratch.benchmarks.GeluAfterTraining 300 2
 * </pre>
 */
public final class GeluAfterTraining {

    private GeluAfterTraining() {
    }

    /** Arguments: training steps to run first (default 300), threads for them (default 1). */
    public static void main(String[] args) {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int trainingThreads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Parallel.setThreads(trainingThreads);
        TrainSteps.Step step = TrainSteps.create("gptCpu", 1337);
        for (int i = 0; i < warm; i++) {
            step.run();
        }
        Parallel.setThreads(1);
        Kernels kernels = Kernels.get();
        int n = 768 * 512;
        float[] x = new float[n];
        float[] g = new float[n];
        float[] out = new float[n];
        Random random = new Random(1);
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
            g[i] = (float) random.nextGaussian();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int reps = 10;
        for (int pass = 0; pass < 24; pass++) {
            long a0 = threads.getThreadAllocatedBytes(id);
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                kernels.unary(UnaryOp.GELU, n, x, 0, out, 0);
            }
            long t1 = System.nanoTime();
            long a1 = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < reps; i++) {
                kernels.binary(BinaryOp.GELU_BACKWARD, n, g, 0, 1, x, 0, 1, out, 0);
            }
            long t2 = System.nanoTime();
            long a2 = threads.getThreadAllocatedBytes(id);
            if (pass == 23) {
                double per = (double) reps * n;
                System.out.printf(Locale.ROOT, "after %d training steps on %d threads: GELU %.2f ns and %.1f bytes allocated per "
                        + "element, its backward %.2f ns and %.1f bytes%n", warm, trainingThreads, (t1 - t0) / per, (a1 - a0) / per,
                        (t2 - t1) / per, (a2 - a1) / per);
            }
        }
    }
}
