package io.github.gptfromscratch.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The matmul shapes of a small GPT's training step (batch·time = 768 rows, embedding 128): the MLP's
 * up-projection 768×128·128×512, its down-projection 768×512·512×128 and the fused QKV projection
 * 768×128·128×384. Same implementations, counters and thread rules as {@link MatmulBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodTrapLimit=10000"},
        jvmArgsAppend = "-Ddev.ludovic.netlib.blas.nativeLibPath=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3")
public class MatmulGptShapesBenchmark {

    /** {@code gptfs}, {@code openblas} or {@code naive}. */
    @Param({"gptfs", "openblas", "naive"})
    public String impl;

    /** m x k x n of C (m×n) = A (m×k) · B (k×n). */
    @Param({"768x128x512", "768x512x128", "768x128x384"})
    public String shape;

    /** Threads the implementation may use. */
    @Param({"1", "2"})
    public int threads;

    private MatmulProblem problem;

    /** Builds the operands and checks the implementation's answer before timing it. */
    @Setup
    public void setUp() {
        problem = MatmulProblem.ofShape(impl, threads, shape);
    }

    /** One product; the returned array keeps the work alive. */
    @Benchmark
    public float[] multiply(MatmulFlops flops) {
        flops.gflop += problem.gigaflop();
        return problem.multiply();
    }
}
