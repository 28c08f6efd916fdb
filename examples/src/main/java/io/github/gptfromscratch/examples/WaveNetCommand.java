package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.autograd.Normalization.BatchNormStyle;
import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.models.WaveNet;
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
 * makemore part 5: the hierarchical (WaveNet-like) model on names.
 *
 * <pre>{@code
 * gptfs wavenet --metrics runs/wavenet/metrics.json         # val ~1.99 after 200,000 steps
 * }</pre>
 */
@Command(name = "wavenet",
        mixinStandardHelpOptions = true,
        description = {
                "Trains makemore part 5's hierarchical model on names: embeddings merged pairwise through",
                "log2(context) levels of Linear, BatchNorm and tanh. Defaults are the lecture's: context 8,",
                "embedding 24, hidden 128, batch 32, 200,000 SGD steps, lr 0.1 then 0.01 from 3/4 of the run.",
                "Writes model.safetensors and loss.png into --out, prints sampled names."
        })
public final class WaveNetCommand implements Callable<Integer> {

    /** Part 5 seeds PyTorch's global generator: {@code torch.manual_seed(42)}. */
    static final long PART5_SEED = 42;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CommonOptions common;

    @Option(names = "--context", defaultValue = "8", description = "Previous characters read, a power of two >= 2 (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--embedding", defaultValue = "24", description = "Size of a character's vector, >= 1 (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--hidden", defaultValue = "128", description = "Width of every level, >= 1 (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--torch-batchnorm",
            description = "nn.BatchNorm1d's batch norm (biased variance) instead of the notebook's own layer (unbiased variance).")
    boolean torchBatchNorm;

    @Override
    public Integer call() throws IOException {
        common.validate();
        if (context < 2 || Integer.bitCount(context) != 1) {
            throw common.badValue("--context", context, "must be a power of two >= 2 (pairs are merged per level)");
        }
        if (embedding < 1) {
            throw common.badValue("--embedding", embedding, "must be at least 1");
        }
        if (hidden < 1) {
            throw common.badValue("--hidden", hidden, "must be at least 1");
        }
        int steps = common.steps(200_000);
        LearningRate lr = LearningRate.stepDecay(common.learningRate(0.1), steps * 3L / 4, 0.1);
        long seed = common.seed(PART5_SEED);
        return NameModelRun.run(common, spec.commandLine().getOut(), new Factory(),
                new NameModelRun.Plan(steps, common.batchSize(32), lr, seed, seed + 10), context);
    }

    private final class Factory implements NameModelRun.ModelFactory {

        @Override
        public String name() {
            return "wavenet";
        }

        @Override
        public NameModelRun.Trainable create(CharTokenizer tokenizer, Rng rng) {
            BatchNormStyle style = torchBatchNorm ? BatchNormStyle.PYTORCH : BatchNormStyle.UNBIASED;
            return NameModelRun.Trainable.of(new WaveNet(
                    new WaveNet.Config(tokenizer.vocabSize(), context, embedding, hidden, style), rng));
        }

        @Override
        public Map<String, String> config(CharTokenizer tokenizer) {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("block_size", Integer.toString(context));
            c.put("n_embd", Integer.toString(embedding));
            c.put("n_hidden", Integer.toString(hidden));
            c.put("batchnorm", (torchBatchNorm ? BatchNormStyle.PYTORCH : BatchNormStyle.UNBIASED).name());
            return c;
        }

        @Override
        public NameModelRun.Trainable restore(Map<String, String> metadata, CharTokenizer tokenizer) {
            return NameModelRun.Trainable.of(new WaveNet(new WaveNet.Config(tokenizer.vocabSize(),
                    Integer.parseInt(metadata.get("block_size")), Integer.parseInt(metadata.get("n_embd")),
                    Integer.parseInt(metadata.get("n_hidden")),
                    // checkpoints from before the option were nn.BatchNorm1d's
                    BatchNormStyle.valueOf(metadata.getOrDefault("batchnorm", BatchNormStyle.PYTORCH.name()))),
                    new Rng(0)));
        }
    }
}
