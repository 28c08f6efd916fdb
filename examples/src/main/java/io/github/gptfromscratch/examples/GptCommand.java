package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.data.Datasets;
import io.github.gptfromscratch.data.TextDataset;
import io.github.gptfromscratch.io.Checkpoint;
import io.github.gptfromscratch.models.Gpt;
import io.github.gptfromscratch.models.GptCheckpoints;
import io.github.gptfromscratch.models.GptTrainer;
import io.github.gptfromscratch.tensor.Parallel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Trains nanoGPT's character-level GPT on tiny shakespeare (the CPU recipe by default), then samples. */
@Command(name = "gpt", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train a GPT on a text file (default: tiny shakespeare, nanoGPT's CPU recipe) and print a sample.")
public final class GptCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GptCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "Text file to train on (default: tiny shakespeare, downloaded on first use).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/gpt", description = "Folder for the checkpoint, loss curve and sample.")
    Path out;

    @Option(names = "--n-layer", defaultValue = "4", description = "Transformer blocks.")
    int nLayer;

    @Option(names = "--n-head", defaultValue = "4", description = "Attention heads per block.")
    int nHead;

    @Option(names = "--n-embd", defaultValue = "128", description = "Embedding width.")
    int nEmbd;

    @Option(names = "--block-size", defaultValue = "64", description = "Context length in characters.")
    int blockSize;

    @Option(names = "--dropout", defaultValue = "0.0", description = "Dropout probability.")
    float dropout;

    @Option(names = "--bias", defaultValue = "false", description = "Biases in Linear and LayerNorm layers.")
    boolean bias;

    @Option(names = "--batch-size", defaultValue = "12", description = "Sequences per step.")
    int batchSize;

    @Option(names = "--max-iters", defaultValue = "2000", description = "Training steps.")
    int maxIters;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate.")
    double lr;

    @Option(names = "--min-lr", defaultValue = "1e-4", description = "Learning rate at the end of the cosine decay.")
    double minLr;

    @Option(names = "--warmup-iters", defaultValue = "100", description = "Linear warm-up steps.")
    int warmupIters;

    @Option(names = "--lr-decay-iters", description = "Steps of the cosine decay (default: --max-iters).")
    Integer lrDecayIters;

    @Option(names = "--beta2", defaultValue = "0.99", description = "AdamW beta2.")
    double beta2;

    @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW weight decay (matrices and embeddings only).")
    double weightDecay;

    @Option(names = "--grad-clip", defaultValue = "1.0", description = "Clip the global gradient norm (0 = off).")
    double gradClip;

    @Option(names = "--eval-interval", defaultValue = "250", description = "Evaluate every this many steps.")
    int evalInterval;

    @Option(names = "--eval-iters", defaultValue = "20", description = "Batches per evaluation and split.")
    int evalIters;

    @Option(names = "--log-interval", defaultValue = "10", description = "Log progress every this many steps.")
    int logInterval;

    @Option(names = "--seed", defaultValue = "1337", description = "Seed for initialisation, batches and sampling.")
    long seed;

    @Option(names = "--rng", paramLabel = "KIND",
            description = {"Random number generator: pytorch (PyTorch's CPU generator: with the default seed, nanoGPT's",
                    "own initial weights and batches for its seed 1337) or splitmix (the library's SplitMix64)",
                    "(default: pytorch; with --resume, the checkpoint's)."})
    String rng;

    @Option(names = "--resume", description = "Continue from the checkpoint in --out.")
    boolean resume;

    @Option(names = "--always-save", description = "Write the checkpoint at every evaluation, not only when val improves.")
    boolean alwaysSave;

    @Option(names = "--threads", description = "Threads for the kernels (default: all cores).")
    Integer threads;

    @Option(names = "--metrics", paramLabel = "FILE", description = "Write the run's results as JSON.")
    Path metrics;

    @Option(names = "--verbose", description = "Debug logging (kernel choice, checkpoint writes).")
    boolean verbose;

    @Option(names = "--sample-tokens", defaultValue = "500", description = "Characters to sample after training.")
    int sampleTokens;

    @Override
    public Integer call() throws Exception {
        Gpt.Config modelConfig;
        GptTrainer.Config trainConfig;
        try {
            modelConfig = new Gpt.Config(1, blockSize, nLayer, nHead, nEmbd, dropout, bias);
            trainConfig = new GptTrainer.Config(maxIters, batchSize, lr, minLr, warmupIters,
                    lrDecayIters == null ? Math.max(maxIters, warmupIters + 1) : lrDecayIters, 0.9, beta2, weightDecay,
                    gradClip, evalInterval, evalIters, logInterval, alwaysSave);
            if (rng != null) {
                CommonOptions.requireRngKind(rng);
            }
            if (threads != null) {
                Parallel.setThreads(threads);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path file = data != null ? data : Datasets.tinyShakespeare();
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "--data: no such file: " + file);
        }
        TextDataset dataset;
        try {
            dataset = TextDataset.load(file);
            dataset.checkBlockSize(blockSize);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Gpt.Config config = new Gpt.Config(dataset.tokenizer().vocabSize(), modelConfig.blockSize(), modelConfig.nLayer(),
                modelConfig.nHead(), modelConfig.nEmbd(), modelConfig.dropout(), modelConfig.bias());
        Checkpoint resumeFrom = resume ? GptTrainer.loadCheckpoint(out) : null;
        String rngKind = rng != null ? rng
                : resumeFrom != null ? resumeFrom.metadata().getOrDefault(GptTrainer.RNG_KIND, CommonOptions.RNG_PYTORCH)
                : CommonOptions.RNG_PYTORCH;
        Gpt model = new Gpt(config, CommonOptions.newRng(rngKind, seed));
        System.out.printf(Locale.ROOT, "gpt: %s, %.2fM parameters (without positions), data %s (%,d train / %,d val tokens), %d thread(s)%n",
                config, model.parameterCountWithoutPositions() / 1e6, file, dataset.length(TextDataset.Split.TRAIN),
                dataset.length(TextDataset.Split.VAL), Parallel.threads());
        GptTrainer trainer = new GptTrainer(model, dataset, trainConfig, out);
        if (resume) {
            try {
                trainer.resume(resumeFrom);
            } catch (IllegalArgumentException e) { // another model or generator than the checkpoint's
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (trainer.step() > maxIters) {
                throw new ParameterException(spec.commandLine(), "--max-iters " + maxIters + " is below the checkpoint's step "
                        + trainer.step() + ": nothing to train");
            }
        }
        GptTrainer.Result result;
        if (System.console() != null && !verbose) {
            // A person at a terminal gets a progress bar; logs and CI get the trainer's log lines.
            try (TrainingProgress progress = new TrainingProgress(LOG, "gpt", maxIters, false)) {
                result = trainer.train(new GptTrainer.Listener() {
                    @Override
                    public void stepDone(int step, double loss, double lr) {
                        progress.stepDone(step, loss, lr);
                    }

                    @Override
                    public void evaluated(GptTrainer.Evaluation e) {
                        progress.validation(e.step(), e.valLoss());
                    }
                });
            }
        } else {
            result = trainer.train();
        }
        writeLossCurve(result, out.resolve("loss.png"));

        GptCheckpoints.Loaded best = GptCheckpoints.load(out.resolve(GptTrainer.CHECKPOINT));
        int[] prompt = best.tokenizer().encode("\n");
        long sampleStart = System.nanoTime();
        // What `gptfs sample --checkpoint <out>` prints with its defaults and the same --seed and --rng.
        int[] tokens = best.model().generate(prompt, sampleTokens, 1.0f, 0, CommonOptions.newRng(rngKind, seed), true);
        double sampleSecs = (System.nanoTime() - sampleStart) / 1e9;
        String sample = best.tokenizer().decode(tokens);
        Files.writeString(out.resolve("sample.txt"), sample, StandardCharsets.UTF_8);
        GptTrainer.Evaluation last = result.evaluations().get(result.evaluations().size() - 1);
        double fullVal = trainer.splitLoss(TextDataset.Split.VAL);
        System.out.printf(Locale.ROOT, "%nfinal: train loss %.4f, val loss %.4f (whole val split: %.4f), best val %.4f,"
                        + " %.1f s (%.1f ms/step)%n", last.trainLoss(), last.valLoss(), fullVal, result.bestValLoss(),
                result.wallSeconds(), 1000 * result.wallSeconds() / Math.max(1, maxIters - result.startStep()));
        System.out.println("--- sample from the best checkpoint (" + sampleTokens + " characters, "
                + String.format(Locale.ROOT, "%.0f", sampleTokens / sampleSecs) + " tokens/s) ---");
        System.out.println(sample);
        if (metrics != null) {
            double msPerStep = 1000 * result.wallSeconds() / Math.max(1, maxIters - result.startStep());
            // In this order in every run (Map.of's order changes from one JVM to the next).
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("best_val_loss", result.bestValLoss());
            extra.put("val_loss_whole_split", fullVal);
            extra.put("ms_per_step", msPerStep);
            extra.put("sample_tokens_per_s", sampleTokens / sampleSecs);
            MetricsFile.write(metrics, new MetricsFile.Metrics("gpt", model.parameterCountWithoutPositions(), maxIters,
                    last.trainLoss(), last.valLoss(), null, result.wallSeconds(), extra));
        }
        return 0;
    }

    private static void writeLossCurve(GptTrainer.Result result, Path png) throws java.io.IOException {
        List<double[]> train = result.trainLosses();
        float[] losses = new float[train.size()];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = (float) train.get(i)[1];
        }
        List<GptTrainer.Evaluation> evals = result.evaluations();
        int[] steps = new int[evals.size()];
        double[] val = new double[evals.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = evals.get(i).step() - result.startStep();
            val[i] = evals.get(i).valLoss();
        }
        LossCurvePlot.write(png, "GPT training", losses, steps, val, "val (mean of --eval-iters batches)");
    }
}
