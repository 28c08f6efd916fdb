package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.data.Batch;
import io.github.gptfromscratch.data.Batches;
import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.data.Examples;
import io.github.gptfromscratch.data.NamesDataset;
import io.github.gptfromscratch.data.NotebookSplit;
import io.github.gptfromscratch.models.NameModel;
import io.github.gptfromscratch.models.NameSampler;
import io.github.gptfromscratch.nn.Module;
import io.github.gptfromscratch.optim.LearningRate;
import io.github.gptfromscratch.optim.Sgd;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.io.SafeTensorFile;
import io.github.gptfromscratch.tensor.io.SafeTensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The makemore training pipeline shared by the neural bigram, MLP and WaveNet commands: the notebooks'
 * 80/10/10 split, minibatch SGD with a step-decayed learning rate, validation points along the way,
 * train/val/test losses in evaluation mode at the end, a safetensors checkpoint with the config and the
 * tokenizer, the loss-curve PNG, sampled names and the metrics JSON. {@code --sample-only} reloads the
 * checkpoint and only samples.
 */
final class NameModelRun {

    /** File name of the checkpoint inside {@code --out}. */
    static final String CHECKPOINT = "model.safetensors";
    /** File name of the loss curve inside {@code --out}. */
    static final String LOSS_PLOT = "loss.png";
    /** Rows per forward pass when a whole split is evaluated. */
    static final int EVAL_CHUNK = 4096;
    /** Validation points drawn on the loss curve. */
    private static final int VALIDATION_POINTS = 20;
    /** Sampling stops a word that never ends here. */
    private static final int MAX_NAME_LENGTH = 50;

    private static final Logger LOG = LoggerFactory.getLogger(NameModelRun.class);

    /**
     * A model the pipeline can train: one object seen as a module (parameters, modes, state dict) and as
     * a name model (logits, loss).
     */
    record Trainable(Module module, NameModel model) {

        /** Both views of {@code m}. */
        static <M extends Module & NameModel> Trainable of(M m) {
            return new Trainable(m, m);
        }
    }

    /** How one command builds, describes and reloads its model. */
    interface ModelFactory {
        /** The model's name in the metrics and the checkpoint. */
        String name();

        /** A fresh model for this tokenizer. */
        Trainable create(CharTokenizer tokenizer, Rng rng);

        /** The configuration, stored in the checkpoint's metadata and read back by {@link #restore}. */
        Map<String, String> config(CharTokenizer tokenizer);

        /** An untrained model shaped as the stored configuration; its weights are then loaded. */
        Trainable restore(Map<String, String> metadata, CharTokenizer tokenizer);
    }

    /**
     * The optimisation settings.
     *
     * @param steps       SGD steps
     * @param batchSize   examples per step; at least the training set's size means full-batch descent
     * @param learningRate learning rate per step
     * @param seed        the generator's seed ({@code --seed} or the command's default)
     * @param sampleSeed  the seed of the generator that samples names at the end (the notebooks reseed:
     *                    with the same seed in part 1, with seed + 10 in parts 2 and 3; part 5 samples from
     *                    its training stream, which the WaveNet command replaces by seed + 10 too, so that
     *                    {@code --sample-only} draws the same names as the end of training)
     */
    record Plan(int steps, int batchSize, LearningRate learningRate, long seed, long sampleSeed) {
    }

    private NameModelRun() {
    }

    /** Runs the whole pipeline and returns the exit code. */
    static int run(CommonOptions common, PrintWriter console, ModelFactory factory, Plan plan, int blockSize)
            throws IOException {
        Path out = common.outDir();
        if (common.sampleOnly()) {
            return sampleFromCheckpoint(common, console, factory, plan.sampleSeed());
        }
        NamesDataset dataset = NamesDataset.load(common.dataFile());
        CharTokenizer tokenizer = dataset.tokenizer();
        NotebookSplit split = dataset.notebookSplit();
        Examples train = dataset.examples(split.train(), blockSize);
        Examples val = dataset.examples(split.dev(), blockSize);
        Examples test = dataset.examples(split.test(), blockSize);
        console.printf(Locale.ROOT, "%s: %d words -> %d / %d / %d train/val/test examples (context %d)%n",
                dataset.source(), dataset.words().size(), train.size(), val.size(), test.size(), blockSize);

        long seed = plan.seed();
        Rng rng = common.rng(seed);
        // PyTorch's generator serves as the notebooks' g does: the initial weights, then every minibatch,
        // from one stream. SplitMix64 gives each its own stream.
        Trainable trainable = factory.create(tokenizer, rng.isPytorch() ? rng : rng.split());
        Module module = trainable.module();
        Rng batches = rng.isPytorch() ? rng : rng.split();
        console.printf(Locale.ROOT, "%s with %,d parameters; %d steps, batch %d, seed %d (%s)%n", factory.name(),
                module.parameterCount(), plan.steps(), plan.batchSize(), seed,
                rng.isPytorch() ? "PyTorch's generator" : "SplitMix64");

        long start = System.nanoTime();
        float[] losses = new float[plan.steps()];
        List<int[]> valSteps = new ArrayList<>();
        List<Double> valLosses = new ArrayList<>();
        int validateEvery = Math.max(1, plan.steps() / VALIDATION_POINTS);
        boolean fullBatch = plan.batchSize() >= train.size();
        Sgd sgd = new Sgd(module.namedParameters());
        try (TrainingProgress progress = new TrainingProgress(LOG, factory.name(), plan.steps(), common.verbose())) {
            for (int step = 0; step < plan.steps(); step++) {
                Batch batch = fullBatch ? new Batch(train.x(), train.y()) : Batches.sample(train, batches, plan.batchSize());
                double lr = plan.learningRate().at(step);
                try (Tape tape = Tape.recordReusingStorage()) {
                    Var loss = trainable.model().loss(batch.x(), batch.y());
                    tape.backward(loss);
                    losses[step] = loss.value().item();
                }
                if (!Float.isFinite(losses[step])) {
                    throw new IllegalStateException("training diverged: loss " + losses[step] + " at step " + step
                            + " with learning rate " + lr + " (seed " + seed + ")");
                }
                sgd.step(lr);
                sgd.zeroGrad();
                progress.stepDone(step, losses[step], lr);
                if ((step + 1) % validateEvery == 0 && step + 1 < plan.steps()) {
                    double v = evaluate(trainable, val);
                    valSteps.add(new int[] {step + 1});
                    valLosses.add(v);
                    progress.validation(step + 1, v);
                }
            }
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        double trainLoss = evaluate(trainable, train);
        double valLoss = evaluate(trainable, val);
        double testLoss = evaluate(trainable, test);
        valSteps.add(new int[] {plan.steps()});
        valLosses.add(valLoss);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        console.printf(Locale.ROOT, "after %d steps (%.1f s, %.1f steps/s): train %.4f  val %.4f  test %.4f%n",
                plan.steps(), trainSeconds, plan.steps() / trainSeconds, trainLoss, valLoss, testLoss);

        Files.createDirectories(out);
        Path checkpoint = out.resolve(CHECKPOINT);
        Map<String, String> config = new LinkedHashMap<>(factory.config(tokenizer));
        config.putAll(common.samplingMetadata(plan.sampleSeed()));
        writeCheckpoint(checkpoint, module.stateDict(), factory.name(), config, tokenizer);
        Path plot = out.resolve(LOSS_PLOT);
        LossCurvePlot.write(plot, String.format(Locale.ROOT, "%s: train %.4f, val %.4f after %,d steps",
                factory.name(), trainLoss, valLoss, plan.steps()), losses,
                valSteps.stream().mapToInt(s -> s[0]).toArray(), valLosses.stream().mapToDouble(d -> d).toArray());
        console.printf("wrote %s and %s%n", checkpoint, plot);

        printSamples(console, trainable, tokenizer, common.sampleRng(plan.sampleSeed()), common.sampleCount());
        if (common.metricsFile() != null) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("batch_size", Math.min(plan.batchSize(), train.size()));
            extra.put("seed", seed);
            extra.put("rng", rng.kind());
            extra.put("train_time_s", trainSeconds);
            extra.put("steps_per_s", plan.steps() / trainSeconds);
            factory.config(tokenizer).forEach(extra::putIfAbsent);
            MetricsFile.write(common.metricsFile(), new MetricsFile.Metrics(factory.name(), module.parameterCount(),
                    plan.steps(), trainLoss, valLoss, testLoss, wallSeconds, extra));
            console.printf("wrote %s%n", common.metricsFile());
        }
        return 0;
    }

    /** Mean loss over a whole split in evaluation mode, then back to training mode. */
    static double evaluate(Trainable trainable, Examples examples) {
        Module module = trainable.module();
        boolean wasTraining = module.isTraining();
        module.eval();
        try {
            return trainable.model().meanLoss(examples, EVAL_CHUNK);
        } finally {
            module.train(wasTraining);
        }
    }

    /** Writes weights, buffers and metadata ({@code model}, the config, {@code tokenizer}) atomically. */
    static void writeCheckpoint(Path file, Map<String, Tensor> tensors, String modelName, Map<String, String> config,
                                CharTokenizer tokenizer) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("model", modelName);
        metadata.putAll(config);
        metadata.put("tokenizer", tokenizer.toString());
        SafeTensors.write(file, tensors, Map.of(), metadata);
    }

    /** Reads a checkpoint written by {@link #writeCheckpoint}, checking it holds {@code modelName}. */
    static SafeTensorFile readCheckpoint(Path file, String modelName) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no checkpoint at " + file + ": train first (without --sample-only)"
                    + " or point --out at the folder of an earlier run");
        }
        SafeTensorFile checkpoint = SafeTensors.read(file);
        String stored = checkpoint.metadata().get("model");
        if (!modelName.equals(stored)) {
            throw new IllegalStateException(file + " holds a '" + stored + "' model, not '" + modelName + "'");
        }
        if (checkpoint.metadata().get("tokenizer") == null) {
            throw new IllegalStateException(file + " has no tokenizer in its metadata");
        }
        return checkpoint;
    }

    private static int sampleFromCheckpoint(CommonOptions common, PrintWriter console, ModelFactory factory,
                                            long sampleSeed) throws IOException {
        Path file = common.outDir().resolve(CHECKPOINT);
        SafeTensorFile checkpoint = readCheckpoint(file, factory.name());
        CharTokenizer tokenizer = CharTokenizer.fromString(checkpoint.metadata().get("tokenizer"));
        Trainable trainable = factory.restore(checkpoint.metadata(), tokenizer);
        trainable.module().loadStateDict(checkpoint.floatTensors());
        console.printf("loaded %s (%,d parameters) from %s%n", factory.name(), trainable.module().parameterCount(),
                file);
        printSamples(console, trainable, tokenizer, common.sampleRng(checkpoint.metadata(), sampleSeed),
                common.sampleCount());
        return 0;
    }

    /** Prints {@code count} sampled names, one a line, with the model in evaluation mode. */
    static void printSamples(PrintWriter console, Trainable trainable, CharTokenizer tokenizer, Rng rng, int count) {
        trainable.module().eval();
        printSamples(console, trainable.model(), tokenizer, rng, count);
    }

    /** Prints {@code count} sampled names, one a line (the model must already be in evaluation mode). */
    static void printSamples(PrintWriter console, NameModel model, CharTokenizer tokenizer, Rng rng, int count) {
        if (count > 0) {
            console.printf("%d sampled names:%n", count);
        }
        for (int i = 0; i < count; i++) {
            console.println(NameSampler.sample(model, tokenizer, rng, MAX_NAME_LENGTH));
        }
        console.flush();
    }
}
