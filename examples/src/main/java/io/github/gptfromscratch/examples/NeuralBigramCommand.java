package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.models.NeuralBigram;
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
 * makemore part 1, second half: the bigram as a one-layer network trained by gradient descent.
 *
 * <pre>{@code
 * gptfs neural-bigram --steps 200 --metrics runs/neural-bigram/metrics.json   # train ~2.48
 * }</pre>
 */
@Command(name = "neural-bigram",
        mixinStandardHelpOptions = true,
        description = {
                "Trains makemore part 1's neural bigram: logits = one-hot(previous)·W, loss = NLL + 0.01·mean(W²),",
                "full-batch gradient descent on the training split (--batch-size smaller than the split samples",
                "minibatches instead). Defaults are the lecture's: lr 50, here 200 steps.",
                "Writes model.safetensors and loss.png into --out, prints sampled names."
        })
public final class NeuralBigramCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CommonOptions common;

    @Option(names = "--regularization", defaultValue = "0.01", description = "Weight of mean(W²) in the loss, >= 0 (default: ${DEFAULT-VALUE}).")
    float regularization;

    @Override
    public Integer call() throws IOException {
        common.validate();
        if (!(regularization >= 0) || Float.isInfinite(regularization)) {
            throw common.badValue("--regularization", regularization, "must be a finite number >= 0");
        }
        long seed = common.seed(CommonOptions.LECTURE_SEED);
        return NameModelRun.run(common, spec.commandLine().getOut(), new Factory(),
                new NameModelRun.Plan(common.steps(200), common.batchSize(Integer.MAX_VALUE),
                        LearningRate.constant(common.learningRate(50)), seed, seed), 1);
    }

    private final class Factory implements NameModelRun.ModelFactory {

        @Override
        public String name() {
            return "neural-bigram";
        }

        @Override
        public NameModelRun.Trainable create(CharTokenizer tokenizer, Rng rng) {
            return NameModelRun.Trainable.of(new NeuralBigram(tokenizer.vocabSize(), regularization, rng));
        }

        @Override
        public Map<String, String> config(CharTokenizer tokenizer) {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("regularization", Float.toString(regularization));
            return c;
        }

        @Override
        public NameModelRun.Trainable restore(Map<String, String> metadata, CharTokenizer tokenizer) {
            return NameModelRun.Trainable.of(new NeuralBigram(tokenizer.vocabSize(),
                    Float.parseFloat(metadata.get("regularization")), new Rng(0)));
        }
    }
}
