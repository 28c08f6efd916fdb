package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.tensor.Parallel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One full training step (see {@link TrainSteps}) in milliseconds, for the GPT of nanoGPT's CPU recipe
 * and of its GPU config, the makemore MLP and the WaveNet, on one or two threads. The PyTorch 1.13
 * figures for the same steps come from {@code benchmarks/pytorch/reference.py} ({@code gpt-step},
 * {@code mlp-step}, {@code wavenet-step}); {@code scripts/compare-pytorch.sh} runs both back to back.
 *
 * <pre>
 * java -jar benchmarks/target-bench/benchmarks.jar TrainStepBenchmark -p model=gptCpu -p threads=1 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodTrapLimit=10000"})
public class TrainStepBenchmark {

    @Param({"gptCpu", "gptGpu", "mlp", "wavenet"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    private TrainSteps.Step step;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        step = TrainSteps.create(model, 1337);
    }

    /** Forward, backward, (GPT: clip and AdamW; makemore: SGD); the loss goes to JMH's sink. */
    @Benchmark
    public float trainStep() {
        return step.run();
    }
}
