package io.github.gptfromscratch.benchmarks;

import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.models.Gpt;
import io.github.gptfromscratch.models.MlpLanguageModel;
import io.github.gptfromscratch.models.NameModel;
import io.github.gptfromscratch.models.WaveNet;
import io.github.gptfromscratch.nn.Module;
import io.github.gptfromscratch.optim.AdamW;
import io.github.gptfromscratch.optim.Gradients;
import io.github.gptfromscratch.optim.Optimizer;
import io.github.gptfromscratch.optim.Sgd;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import java.util.Map;

/**
 * One training step of each model the PyTorch reference ({@code benchmarks/pytorch/reference.py})
 * times, on a fixed batch of random tokens as nanoGPT's {@code bench.py} does:
 *
 * <ul>
 *   <li>{@code gptCpu}: nanoGPT's README CPU recipe (4 layers, 4 heads, 128, block 64, batch 12, no biases);</li>
 *   <li>{@code gptGpu}: {@code train_shakespeare_char.py} (6/6/384, block 256, batch 64) with dropout 0;</li>
 *   <li>{@code mlp}: makemore part 2 (C[27,10], W1[30,200], W2[200,27], batch 32), SGD;</li>
 *   <li>{@code wavenet}: makemore part 5 (24, 128, context 8, batch 32), SGD.</li>
 * </ul>
 *
 * A GPT step is forward, backward, clipping to global norm 1.0 and AdamW (betas 0.9/0.99, weight decay
 * 0.1 on matrices); a makemore step is forward, backward and SGD with learning rate 0.1.
 */
final class TrainSteps {

    /** The models, by the names the benchmarks' {@code @Param} uses. */
    static final String[] MODELS = {"gptCpu", "gptGpu", "mlp", "wavenet"};

    /** A training step ready to run again and again on the same batch. */
    interface Step {
        /** Runs one step; returns the loss before the update. */
        float run();

        /** Parameters without the position embeddings (nanoGPT's count), or all of them. */
        long parameterCount();
    }

    private TrainSteps() {
    }

    /** The step of {@code model} with weights and batch drawn from {@code seed}. */
    static Step create(String model, long seed) {
        Rng rng = new Rng(seed);
        switch (model) {
            case "gptCpu":
                return gpt(new Gpt.Config(65, 64, 4, 4, 128, 0f, false), 12, rng);
            case "gptGpu":
                return gpt(new Gpt.Config(65, 256, 6, 6, 384, 0f, false), 64, rng);
            case "mlp":
                return makemore(new MlpLanguageModel(MlpLanguageModel.Config.part2(27), rng), rng);
            case "wavenet":
                return makemore(new WaveNet(WaveNet.Config.lecture(27), rng), rng);
            default:
                throw new IllegalArgumentException("TrainSteps: unknown model '" + model + "', expected one of "
                        + String.join(", ", MODELS));
        }
    }

    private static Step gpt(Gpt.Config config, int batch, Rng rng) {
        Gpt gpt = new Gpt(config, rng);
        gpt.train(true);
        Map<String, Var> params = gpt.namedParameters();
        AdamW optimizer = new AdamW(params, new AdamW.Config(0.9, 0.99, 1e-8, 0.1));
        IntTensor x = randomTokens(rng, config.vocabSize(), batch, config.blockSize());
        IntTensor y = randomTokens(rng, config.vocabSize(), batch, config.blockSize());
        return new Step() {
            @Override
            public float run() {
                optimizer.zeroGrad();
                float loss;
                try (Tape tape = Tape.recordReusingStorage()) {
                    Var l = gpt.loss(x, y);
                    loss = l.value().item();
                    tape.backward(l);
                }
                Gradients.clipGlobalNorm(params, 1.0);
                optimizer.step(1e-3);
                return loss;
            }

            @Override
            public long parameterCount() {
                return gpt.parameterCountWithoutPositions();
            }
        };
    }

    private static <M extends Module & NameModel> Step makemore(M model, Rng rng) {
        model.train(true);
        Optimizer optimizer = new Sgd(model.namedParameters());
        IntTensor x = randomTokens(rng, model.vocabSize(), 32, model.blockSize());
        IntTensor y = randomTokens(rng, model.vocabSize(), 32);
        return new Step() {
            @Override
            public float run() {
                optimizer.zeroGrad();
                float loss;
                try (Tape tape = Tape.recordReusingStorage()) {
                    Var l = model.loss(x, y);
                    loss = l.value().item();
                    tape.backward(l);
                }
                optimizer.step(0.1);
                return loss;
            }

            @Override
            public long parameterCount() {
                return model.parameterCount();
            }
        };
    }

    static IntTensor randomTokens(Rng rng, int vocab, int... shape) {
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
}
