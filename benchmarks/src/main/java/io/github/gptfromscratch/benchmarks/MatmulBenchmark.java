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
 * Square float32 matmul C = A·B (n×n, row-major): this library's kernel against OpenBLAS and against
 * the plain i-k-j loop, in the same run. The {@code gflop} secondary result is the speed in GFLOPS.
 *
 * <p>OpenBLAS takes its thread count from the environment, so run each thread count on its own:
 * <pre>
 * OPENBLAS_NUM_THREADS=1 java -jar benchmarks/target/benchmarks.jar MatmulBenchmark -p threads=1
 * OPENBLAS_NUM_THREADS=2 java -jar benchmarks/target/benchmarks.jar MatmulBenchmark -p threads=2
 * </pre>
 * The fork loads Debian's OpenBLAS ({@code scripts/install-openblas.sh}); elsewhere override the path
 * with {@code -jvmArgsAppend -Ddev.ludovic.netlib.blas.nativeLibPath=...}. OpenBLAS 0.3.21 does not
 * recognise CPUs newer than it (Zen 5 runs its AVX2 Haswell kernels); {@code OPENBLAS_CORETYPE=SkylakeX}
 * selects its AVX-512 kernels, the strongest baseline on such a CPU.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodTrapLimit=10000"},
        jvmArgsAppend = "-Ddev.ludovic.netlib.blas.nativeLibPath=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3")
public class MatmulBenchmark {

    /** {@code gptfs}, {@code openblas} or {@code naive}. */
    @Param({"gptfs", "openblas", "naive"})
    public String impl;

    /** The side n of the square matrices. */
    @Param({"128", "256", "512", "1024"})
    public int size;

    /** Threads the implementation may use. */
    @Param({"1", "2"})
    public int threads;

    private MatmulProblem problem;

    /** Builds the operands and checks the implementation's answer before timing it. */
    @Setup
    public void setUp() {
        problem = new MatmulProblem(impl, threads, size, size, size);
    }

    /** One product; the returned array keeps the work alive. */
    @Benchmark
    public float[] multiply(MatmulFlops flops) {
        flops.gflop += problem.gigaflop();
        return problem.multiply();
    }
}
