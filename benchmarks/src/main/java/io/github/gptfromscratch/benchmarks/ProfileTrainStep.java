package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.tensor.Parallel;
import java.util.Arrays;
import java.util.Locale;

/**
 * A plain driver for profilers (JFR, async-profiler): runs one model's training step (see
 * {@link TrainSteps}) many times and prints the median time per step.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:StartFlightRecording=filename=step.jfr,settings=profile \
 *     -cp benchmarks/target-bench/benchmarks.jar io.github.gptfromscratch.benchmarks.ProfileTrainStep gptCpu 300 1
 * </pre>
 */
public final class ProfileTrainStep {

    private ProfileTrainStep() {
    }

    /** Arguments: model (gptCpu, gptGpu, mlp, wavenet), steps (default 200), threads (default 1). */
    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "gptCpu";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Parallel.setThreads(threads);
        TrainSteps.Step step = TrainSteps.create(model, 1337);
        double[] ms = new double[steps];
        float loss = 0;
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            loss = step.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] timed = Arrays.copyOfRange(ms, steps / 4, steps); // the first quarter is warm-up
        Arrays.sort(timed);
        // Three decimals: the makemore steps take tens of microseconds. The median, not the mean, so
        // that a step preempted by another process on a busy machine does not move the figure.
        System.out.printf(Locale.ROOT, "%s, %d threads: median %.3f ms/step over the last %d of %d steps "
                + "(min %.3f), last loss %.4f, %d parameters%n", model, threads, timed[timed.length / 2], timed.length,
                steps, timed[0], loss, step.parameterCount());
    }
}
