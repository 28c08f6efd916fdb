package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.autograd.Attention;
import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Parallel;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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
 * Causal self-attention on q, k, v of shape {@code [B, H, T, hs]}: the fused kernel
 * ({@link Attention#causal}, which never materialises the T×T scores) against the composed graph
 * ({@link Attention#causalComposed}: matmul, mask, softmax, matmul), which is also what PyTorch 1.13
 * runs on the CPU ({@code reference.py attention}). Shapes: nanoGPT's CPU recipe (12×4×64×32) and its
 * GPU config (64×6×256×64). {@code forwardBackward} records the forward on a tape and back-propagates a
 * fixed random output gradient into q, k and v.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodTrapLimit=10000"})
public class AttentionBenchmark {

    @Param({"fused", "composed"})
    public String impl;

    @Param({"forward", "forwardBackward"})
    public String mode;

    /** B x H x T x hs. */
    @Param({"12x4x64x32", "64x6x256x64"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Var q;
    private Var k;
    private Var v;
    private Tensor dOut;
    private boolean fused;
    private boolean backward;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        String[] parts = shape.split("x");
        if (parts.length != 4) {
            throw new IllegalArgumentException("AttentionBenchmark: shape must be BxHxTxhs, got " + shape);
        }
        int[] dims = new int[4];
        for (int i = 0; i < 4; i++) {
            dims[i] = Integer.parseInt(parts[i]);
        }
        Rng rng = new Rng(1337);
        q = Var.parameter(Tensor.randn(rng, dims));
        k = Var.parameter(Tensor.randn(rng, dims));
        v = Var.parameter(Tensor.randn(rng, dims));
        dOut = Tensor.randn(rng, dims);
        fused = switch (impl) {
            case "fused" -> true;
            case "composed" -> false;
            default -> throw new IllegalArgumentException("AttentionBenchmark: impl must be fused or composed, got " + impl);
        };
        backward = switch (mode) {
            case "forward" -> false;
            case "forwardBackward" -> true;
            default -> throw new IllegalArgumentException(
                    "AttentionBenchmark: mode must be forward or forwardBackward, got " + mode);
        };
    }

    /** The output (forward) or the gradient of q (forwardBackward), to JMH's sink. */
    @Benchmark
    public Tensor attention() {
        if (!backward) {
            return attend().value();
        }
        q.dropGrad();
        k.dropGrad();
        v.dropGrad();
        try (Tape tape = Tape.record()) {
            tape.backward(attend(), dOut);
        }
        return q.grad();
    }

    private Var attend() {
        return fused ? Attention.causal(q, k, v) : Attention.causalComposed(q, k, v, UnaryOperator.identity());
    }
}
