package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.models.MlpLanguageModel;
import io.github.gptfromscratch.optim.LearningRate;
import io.github.gptfromscratch.tensor.Rng;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * makemore parts 2 and 3: the Bengio et al. 2003 MLP on names, optionally with part 3's scaled
 * initialisation and BatchNorm ({@code --batchnorm}).
 *
 * <pre>{@code
 * gptfs mlp --metrics runs/mlp/metrics.json                  # val ~2.17 after 200,000 steps
 * gptfs mlp --batchnorm --out runs/mlp-bn                    # val ~2.10
 * gptfs mlp --sample-only --sample 10                         # names from the saved checkpoint
 * }</pre>
 */
@Command(name = "mlp",
        mixinStandardHelpOptions = true,
        description = {
                "Trains makemore's MLP (Bengio 2003) on names: embeddings of the previous characters,",
                "one tanh layer, softmax. Defaults are the lecture's: context 3, embedding 10, hidden 200,",
                "batch 32, 200,000 SGD steps, lr 0.1 then 0.01 from half-way (--lr sets the first value).",
                "Writes model.safetensors and loss.png into --out, prints sampled names."
        })
public final class MlpCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CommonOptions common;

    @Option(names = "--context", defaultValue = "3", description = "Previous characters read, >= 1 (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--embedding", defaultValue = "10", description = "Size of a character's vector, >= 1 (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--hidden", defaultValue = "200", description = "Hidden units, >= 1 (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--batchnorm", description = "Part 3's network: scaled init and BatchNorm before tanh.")
    boolean batchNorm;

    @Override
    public Integer call() throws IOException {
        common.validate();
        positive("--context", context);
        positive("--embedding", embedding);
        positive("--hidden", hidden);
        int steps = common.steps(200_000);
        LearningRate lr = LearningRate.stepDecay(common.learningRate(0.1), steps / 2, 0.1);
        long seed = common.seed(CommonOptions.LECTURE_SEED);
        return NameModelRun.run(common, spec.commandLine().getOut(), new Factory(),
                new NameModelRun.Plan(steps, common.batchSize(32), lr, seed, seed + 10), context);
    }

    private void positive(String option, int value) {
        if (value < 1) {
            throw common.badValue(option, value, "must be at least 1");
        }
    }

    private final class Factory implements NameModelRun.ModelFactory {

        @Override
        public String name() {
            return batchNorm ? "mlp-batchnorm" : "mlp";
        }

        private MlpLanguageModel.Config config(int vocab, int block, int emb, int hid) {
            return new MlpLanguageModel.Config(vocab, block, emb, hid, batchNorm, batchNorm);
        }

        @Override
        public NameModelRun.Trainable create(CharTokenizer tokenizer, Rng rng) {
            return NameModelRun.Trainable.of(new MlpLanguageModel(
                    config(tokenizer.vocabSize(), context, embedding, hidden), rng));
        }

        @Override
        public Map<String, String> config(CharTokenizer tokenizer) {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("block_size", Integer.toString(context));
            c.put("n_embd", Integer.toString(embedding));
            c.put("n_hidden", Integer.toString(hidden));
            c.put("batchnorm", Boolean.toString(batchNorm));
            return c;
        }

        @Override
        public NameModelRun.Trainable restore(Map<String, String> metadata, CharTokenizer tokenizer) {
            return NameModelRun.Trainable.of(new MlpLanguageModel(config(tokenizer.vocabSize(),
                    Integer.parseInt(metadata.get("block_size")), Integer.parseInt(metadata.get("n_embd")),
                    Integer.parseInt(metadata.get("n_hidden"))), new Rng(0)));
        }
    }
}
