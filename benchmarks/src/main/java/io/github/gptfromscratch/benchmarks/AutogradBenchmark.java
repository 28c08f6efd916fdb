package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.models.Gpt;
import io.github.gptfromscratch.models.MlpLanguageModel;
import io.github.gptfromscratch.nn.Module;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Parallel;
import io.github.gptfromscratch.tensor.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of differentiation: one forward pass without a tape, the same with the tape recording, and
 * forward plus backward, for the makemore MLP (context 3, 10, 200, batch 32) and a GPT of one block
 * (batch 12, context 64, 128 wide, 4 heads). From the three: backward = forwardBackward − forwardRecorded
 * (should be at most about twice the forward), and the tape's recording cost = forwardRecorded − forward
 * (should stay under 5% of a step; walking the tape is a loop over its entries and does no arithmetic).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodTrapLimit=10000"})
public class AutogradBenchmark {

    @Param({"mlp", "gptBlock"})
    public String model;

    @Param({"1"})
    public int threads;

    private Module module;
    private IntTensor x;
    private IntTensor y;
    private Gpt gpt;
    private MlpLanguageModel mlp;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        Rng rng = new Rng(7);
        if (model.equals("mlp")) {
            mlp = new MlpLanguageModel(MlpLanguageModel.Config.part2(27), rng);
            module = mlp;
            x = randomTokens(rng, 27, 32, 3);
            y = randomTokens(rng, 27, 32);
        } else {
            gpt = new Gpt(new Gpt.Config(65, 64, 1, 4, 128, 0f, false), rng);
            module = gpt;
            x = randomTokens(rng, 65, 12, 64);
            y = randomTokens(rng, 65, 12, 64);
        }
    }

    private static IntTensor randomTokens(Rng rng, int vocab, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rng.nextInt(vocab);
        }
        return IntTensor.of(ids, shape);
    }

    private Var loss() {
        return gpt != null ? gpt.loss(x, y) : mlp.loss(x, y);
    }

    @Benchmark
    public float forward() {
        return loss().value().item();
    }

    @Benchmark
    public float forwardRecorded() {
        try (Tape tape = Tape.record()) {
            return loss().value().item();
        }
    }

    @Benchmark
    public float forwardBackward() {
        module.zeroGrad();
        try (Tape tape = Tape.record()) {
            Var l = loss();
            tape.backward(l);
            return l.value().item();
        }
    }
}
