package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.data.Batch;
import io.github.gptfromscratch.data.Batches;
import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.data.Examples;
import io.github.gptfromscratch.data.MakemoreScriptSplit;
import io.github.gptfromscratch.data.NamesDataset;
import io.github.gptfromscratch.io.Checkpoint;
import io.github.gptfromscratch.models.Gpt;
import io.github.gptfromscratch.models.GptCheckpoints;
import io.github.gptfromscratch.optim.AdamW;
import io.github.gptfromscratch.tensor.Rng;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * makemore.py's default model: a small Transformer ({@link Gpt.Config#makemore}) trained on whole words.
 * Every word is one sequence {@code [., w1 … wn]} predicting {@code [w1 … wn, .]}; the split is the
 * script's (1,000 test words, no validation set); AdamW at a constant learning rate.
 *
 * <pre>{@code
 * gptfs transformer --metrics runs/transformer/metrics.json    # best test ~1.97 (PyTorch: 1.96)
 * gptfs transformer --sample-only --sample 10
 * }</pre>
 */
@Command(name = "transformer",
        mixinStandardHelpOptions = true,
        description = {
                "Trains makemore.py's default Transformer on names: 4 layers, 4 heads, embedding 64, context",
                "= longest word + 1 (16), each word one sequence. AdamW lr 5e-4, betas 0.9/0.99, weight decay",
                "0.01 on every parameter, batch 32 words, 15,000 steps (the test loss bottoms out near 12,000),",
                "test loss every --eval-interval steps on makemore's 1,000 held-out words. Writes",
                "ckpt.safetensors (best test loss) and loss.png, and prints sampled names."
        })
public final class TransformerCommand implements Callable<Integer> {

    /** makemore.py's {@code --seed} default, given to {@code torch.manual_seed}. */
    static final long SCRIPT_SEED = 3407;

    /** The checkpoint's file name inside {@code --out}: {@code gptfs sample --checkpoint DIR} reads it too. */
    static final String CHECKPOINT = "ckpt.safetensors";

    private static final Logger LOG = LoggerFactory.getLogger(TransformerCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CommonOptions common;

    @Option(names = "--n-layer", defaultValue = "4", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int nLayer;

    @Option(names = "--n-head", defaultValue = "4", description = "Attention heads; must divide --n-embd (default: ${DEFAULT-VALUE}).")
    int nHead;

    @Option(names = "--n-embd", defaultValue = "64", description = "Width of the residual stream (default: ${DEFAULT-VALUE}).")
    int nEmbd;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "AdamW weight decay, on all parameters as makemore.py (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--init", defaultValue = "PYTORCH_DEFAULTS",
            description = "Initialisation: PYTORCH_DEFAULTS (makemore.py's final code) or NANOGPT (N(0, 0.02), scaled residual projections) (default: ${DEFAULT-VALUE}).")
    Gpt.Initialisation init;

    @Option(names = "--eval-interval", defaultValue = "500", description = "Evaluate the test loss every N steps (default: ${DEFAULT-VALUE}).")
    int evalInterval;

    @Override
    public Integer call() throws IOException {
        common.validate();
        if (nLayer < 1 || nHead < 1 || nEmbd < 1 || nEmbd % nHead != 0) {
            throw common.badValue("--n-head", nHead, "needs --n-layer, --n-head, --n-embd >= 1 and --n-head dividing --n-embd"
                    + " (got " + nLayer + ", " + nHead + ", " + nEmbd + ")");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw common.badValue("--weight-decay", weightDecay, "must be a finite number >= 0");
        }
        if (evalInterval < 1) {
            throw common.badValue("--eval-interval", evalInterval, "must be at least 1");
        }
        PrintWriter console = spec.commandLine().getOut();
        long seed = common.seed(SCRIPT_SEED);
        Path checkpoint = common.outDir().resolve(CHECKPOINT);
        if (common.sampleOnly()) {
            GptCheckpoints.Loaded loaded = load(checkpoint);
            console.printf("loaded the transformer (%,d parameters) from %s%n", loaded.model().parameterCount(), checkpoint);
            printSamples(console, loaded.model(), loaded.tokenizer(), common.sampleRng(loaded.metadata(), seed),
                    common.sampleCount());
            return 0;
        }

        NamesDataset dataset = NamesDataset.load(common.dataFile());
        CharTokenizer tokenizer = dataset.tokenizer();
        Rng rng = common.rng(seed);
        // With PyTorch's generator the permutation is torch.randperm's after torch.manual_seed(3407): the
        // script's own 1,000 test words. Initial weights and batches then come from the same stream (they
        // are the script's draws only in kind: its model and DataLoader consume the stream differently).
        MakemoreScriptSplit split = dataset.makemoreScriptSplit(rng.isPytorch() ? rng : rng.split());
        int blockSize = dataset.maxWordLength() + 1;
        Examples train = dataset.sequences(split.train(), blockSize);
        Examples test = dataset.sequences(split.test(), blockSize);
        console.printf(Locale.ROOT, "%s: %d words -> %d train / %d test words (makemore.py's split), context %d%n",
                dataset.source(), dataset.words().size(), train.size(), test.size(), blockSize);

        Gpt.Config defaults = Gpt.Config.makemore(tokenizer.vocabSize(), blockSize);
        Gpt.Config config = new Gpt.Config(defaults.vocabSize(), blockSize, nLayer, nHead, nEmbd, defaults.dropout(),
                defaults.bias(), defaults.gelu(), defaults.tiedHead());
        Gpt model = new Gpt(config, init, rng.isPytorch() ? rng : rng.split());
        Rng batches = rng.isPytorch() ? rng : rng.split();
        int steps = common.steps(15_000);
        int batchSize = common.batchSize(32);
        double lr = common.learningRate(5e-4);
        AdamW optimizer = new AdamW(model.namedParameters(), new AdamW.Config(0.9, 0.99, 1e-8, weightDecay, true));
        console.printf(Locale.ROOT, "transformer with %,d parameters; %d steps, batch %d, lr %s, seed %d%n",
                model.parameterCount(), steps, batchSize, lr, seed);

        long start = System.nanoTime();
        float[] losses = new float[steps];
        List<Integer> testSteps = new ArrayList<>();
        List<Double> testLosses = new ArrayList<>();
        double bestTest = Double.POSITIVE_INFINITY;
        try (TrainingProgress progress = new TrainingProgress(LOG, "transformer", steps, common.verbose())) {
            for (int step = 0; step < steps; step++) {
                Batch batch = Batches.sample(train, batches, batchSize);
                try (Tape tape = Tape.recordReusingStorage()) {
                    Var loss = model.loss(batch.x(), batch.y());
                    losses[step] = loss.value().item();
                    if (!Float.isFinite(losses[step])) {
                        throw new IllegalStateException("training diverged: loss " + losses[step] + " at step " + step
                                + " with learning rate " + lr + " (seed " + seed + ")");
                    }
                    tape.backward(loss);
                }
                optimizer.step(lr);
                optimizer.zeroGrad();
                progress.stepDone(step, losses[step], lr);
                if ((step + 1) % evalInterval == 0 || step + 1 == steps) {
                    double t = model.meanLoss(test.x(), test.y());
                    testSteps.add(step + 1);
                    testLosses.add(t);
                    progress.validation(step + 1, t, "test");
                    if (t < bestTest) {
                        bestTest = t;
                        save(checkpoint, model, tokenizer, step + 1, t, common.samplingMetadata(seed));
                    }
                }
            }
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        double trainLoss = model.meanLoss(train.x(), train.y());
        double testLoss = testLosses.get(testLosses.size() - 1);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        console.printf(Locale.ROOT, "after %d steps (%.1f s, %.1f steps/s): train %.4f  test %.4f  (best test %.4f)%n",
                steps, trainSeconds, steps / trainSeconds, trainLoss, testLoss, bestTest);

        Path plot = common.outDir().resolve(NameModelRun.LOSS_PLOT);
        LossCurvePlot.write(plot, String.format(Locale.ROOT, "transformer: train %.4f, test %.4f after %,d steps",
                trainLoss, testLoss, steps), losses, testSteps.stream().mapToInt(Integer::intValue).toArray(),
                testLosses.stream().mapToDouble(Double::doubleValue).toArray(), "test");
        console.printf("wrote %s (best test loss) and %s%n", checkpoint, plot);

        GptCheckpoints.Loaded best = load(checkpoint);
        printSamples(console, best.model(), tokenizer, common.sampleRng(seed), common.sampleCount());
        if (common.metricsFile() != null) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("best_test_loss", bestTest);
            extra.put("batch_size", batchSize);
            extra.put("seed", seed);
            extra.put("train_time_s", trainSeconds);
            extra.put("steps_per_s", steps / trainSeconds);
            extra.put("block_size", blockSize);
            extra.put("n_layer", nLayer);
            extra.put("n_head", nHead);
            extra.put("n_embd", nEmbd);
            MetricsFile.write(common.metricsFile(), new MetricsFile.Metrics("transformer", model.parameterCount(), steps,
                    trainLoss, null, testLoss, wallSeconds, extra));
            console.printf("wrote %s%n", common.metricsFile());
        }
        return 0;
    }

    /** Sampled names: from the start token, up to a block of characters, cut at the first end token. */
    static void printSamples(PrintWriter console, Gpt model, CharTokenizer tokenizer, Rng rng, int count) {
        model.eval();
        if (count > 0) {
            console.printf("%d sampled names:%n", count);
        }
        int[] start = {CharTokenizer.BOUNDARY_ID};
        for (int i = 0; i < count; i++) {
            int[] ids = model.generate(start, model.config().blockSize() - 1, 1f, 0, rng, true);
            int end = 1;
            while (end < ids.length && ids[end] != CharTokenizer.BOUNDARY_ID) {
                end++;
            }
            console.println(tokenizer.decode(Arrays.copyOfRange(ids, 1, end)));
        }
        console.flush();
    }

    private static void save(Path file, Gpt model, CharTokenizer tokenizer, int step, double testLoss,
                             Map<String, String> sampling) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, String> meta = new LinkedHashMap<>(GptCheckpoints.metadata(model.config(), tokenizer));
        meta.put("task", "names");
        meta.put("step", Integer.toString(step));
        meta.put("test_loss", Double.toString(testLoss));
        meta.putAll(sampling);
        Checkpoint.save(file, model.stateDict(), Map.of(), meta);
    }

    private static GptCheckpoints.Loaded load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no checkpoint at " + file + ": train first (without --sample-only)"
                    + " or point --out at the folder of an earlier transformer run");
        }
        GptCheckpoints.Loaded loaded = GptCheckpoints.load(file);
        if (!"names".equals(loaded.metadata().get("task"))) {
            throw new IllegalStateException(file + " is a GPT checkpoint, but not of the names transformer"
                    + " (use `gptfs sample --checkpoint` for text models)");
        }
        return loaded;
    }
}
