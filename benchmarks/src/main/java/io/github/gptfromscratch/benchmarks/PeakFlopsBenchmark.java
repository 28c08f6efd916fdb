package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.tensor.internal.kernels.PeakFlops;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The machine's float32 FMA limit as seen from Java ({@link PeakFlops}: independent vector FMA chains,
 * no memory traffic), on one and on two threads, in GFLOPS (the {@code gflop} secondary result), to
 * state matmul speed as a share of what the cores can do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodTrapLimit=10000"})
public class PeakFlopsBenchmark {

    /** About a millisecond of work per call, so the call overhead does not count. */
    private static final long ITERATIONS = 200_000;

    /** Read from a field so the JIT cannot fold the chains into constants. */
    public float scale = 1.0000001f;

    /** One thread of FMA chains. */
    @Benchmark
    @Threads(1)
    public float oneThread(MatmulFlops flops) {
        return chains(flops);
    }

    /** Two threads of FMA chains; JMH adds up their counters. */
    @Benchmark
    @Threads(2)
    public float twoThreads(MatmulFlops flops) {
        return chains(flops);
    }

    private float chains(MatmulFlops flops) {
        flops.gflop += PeakFlops.flopsPerCall(ITERATIONS) / 1e9;
        return PeakFlops.fmaChains(ITERATIONS, scale);
    }
}
