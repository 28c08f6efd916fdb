package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.models.Gpt;
import io.github.gptfromscratch.tensor.Parallel;
import io.github.gptfromscratch.tensor.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Tokens per second generating 500 characters from the model of nanoGPT's CPU recipe (random weights:
 * the speed does not depend on them), with and without the KV cache. Without it every token re-runs
 * the whole window of up to 64 positions, which is what nanoGPT's {@code generate} does and what
 * {@code reference.py sample} times in PyTorch 1.13. The score is in tokens/s (500 operations per call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodTrapLimit=10000"})
public class SamplingBenchmark {

    private static final int TOKENS = 500;

    @Param({"true", "false"})
    public boolean cache;

    @Param({"1"})
    public int threads;

    private Gpt gpt;
    private Rng rng;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        gpt = new Gpt(new Gpt.Config(65, 64, 4, 4, 128, 0f, false), new Rng(1337));
        gpt.eval();
        rng = new Rng(42);
    }

    /** 500 new tokens after a one-token prompt, temperature 1, no top-k. */
    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public int[] generate() {
        return gpt.generate(new int[] {0}, TOKENS, 1.0f, 0, rng, cache);
    }
}
