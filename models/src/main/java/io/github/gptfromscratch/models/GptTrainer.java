package io.github.gptfromscratch.models;

import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.data.Batch;
import io.github.gptfromscratch.data.TextDataset;
import io.github.gptfromscratch.io.Checkpoint;
import io.github.gptfromscratch.optim.AdamW;
import io.github.gptfromscratch.optim.Gradients;
import io.github.gptfromscratch.optim.LearningRate;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * nanoGPT's training loop for a character-level {@link Gpt}: AdamW with warm-up and cosine decay,
 * clipping by global norm, evaluation on train and val every {@code evalInterval} steps, a checkpoint
 * whenever val improves, and an exact resume (weights, optimizer moments, step and the generator's state
 * are in the checkpoint).
 *
 * <p>As in nanoGPT's {@code train.py}, one generator, the model's {@link Gpt#rng()}, draws everything in
 * one order: each step's batch, then the evaluation's batches when one is due, then dropout's masks in the
 * forward pass. With {@code Rng.pytorch(1337)} the batches are nanoGPT's own for its seed.
 */
public final class GptTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(GptTrainer.class);

    /** The file name of the checkpoint inside the output folder. */
    public static final String CHECKPOINT = "ckpt.safetensors";
    /** The metadata key of the generator's kind: {@code pytorch} or {@code splitmix}, as the commands' {@code --rng}. */
    public static final String RNG_KIND = "rng";
    /** The metadata key of the generator's state at the start of the checkpoint's step. */
    private static final String RNG_STATE = "rng_state";

    /** Training settings (defaults: nanoGPT's CPU recipe for tiny shakespeare). */
    public record Config(int maxIters, int batchSize, double learningRate, double minLearningRate, int warmupIters,
                         int lrDecayIters, double beta1, double beta2, double weightDecay, double gradClip,
                         int evalInterval, int evalIters, int logInterval, boolean alwaysSaveCheckpoint) {
        /** Validates every setting; the message names the offending value. */
        public Config {
            positive("max_iters", maxIters, true);
            positive("batch_size", batchSize, false);
            positive("eval_interval", evalInterval, false);
            positive("eval_iters", evalIters, false);
            positive("log_interval", logInterval, false);
            if (!(learningRate > 0) || !(minLearningRate >= 0) || minLearningRate > learningRate) {
                throw new IllegalArgumentException("learning rate must be > 0 and min_lr in [0, lr], got lr="
                        + learningRate + ", min_lr=" + minLearningRate);
            }
            if (warmupIters < 0 || lrDecayIters <= warmupIters) {
                throw new IllegalArgumentException("need 0 <= warmup_iters < lr_decay_iters, got " + warmupIters + " and "
                        + lrDecayIters);
            }
            if (!(gradClip >= 0)) {
                throw new IllegalArgumentException("grad_clip must be >= 0 (0 disables it), got " + gradClip);
            }
        }

        private static void positive(String name, int value, boolean zeroAllowed) {
            if (value < 0 || (!zeroAllowed && value == 0)) {
                throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + value);
            }
        }

        /** nanoGPT's README CPU recipe: 2,000 iterations, batch 12, lr 1e-3 → 1e-4, warm-up 100, eval every 250 over 20 batches. */
        public static Config shakespeareCpu() {
            return new Config(2000, 12, 1e-3, 1e-4, 100, 2000, 0.9, 0.99, 0.1, 1.0, 250, 20, 10, false);
        }
    }

    /** One evaluation: the mean losses over {@code evalIters} batches of each split. */
    public record Evaluation(int step, double trainLoss, double valLoss) {
    }

    /** Follows a run: one call per training step and per evaluation (for progress bars, plots, early stops). */
    public interface Listener {
        /** Step {@code step} finished with training loss {@code loss} at learning rate {@code lr}. */
        void stepDone(int step, double loss, double lr);

        /** An evaluation finished. */
        void evaluated(Evaluation evaluation);
    }

    /** What a run did. */
    public record Result(List<Evaluation> evaluations, List<double[]> trainLosses, double bestValLoss, double wallSeconds,
                         int startStep) {
    }

    private final Gpt model;
    private final TextDataset data;
    private final Config config;
    private final Path outDir;
    private final AdamW optimizer;
    private final Rng rng;
    private final LearningRate schedule;
    private int step;
    private double bestVal = Double.POSITIVE_INFINITY;

    /** A trainer writing its checkpoint to {@code outDir}; checks the vocabulary and block size against the data. */
    public GptTrainer(Gpt model, TextDataset data, Config config, Path outDir) {
        if (model.config().vocabSize() != data.tokenizer().vocabSize()) {
            throw new IllegalArgumentException("the model's vocabulary (" + model.config().vocabSize()
                    + ") does not match the data's (" + data.tokenizer().vocabSize() + ")");
        }
        data.checkBlockSize(model.config().blockSize());
        this.model = model;
        this.data = data;
        this.config = config;
        this.outDir = outDir;
        this.optimizer = new AdamW(model.namedParameters(),
                new AdamW.Config(config.beta1(), config.beta2(), 1e-8, config.weightDecay()));
        this.rng = model.rng();
        this.schedule = LearningRate.warmupCosine(config.learningRate(), config.minLearningRate(), config.warmupIters(),
                config.lrDecayIters());
    }

    /** The step the next {@link #train()} starts from. */
    public int step() {
        return step;
    }

    /** Restores the state saved in {@code outDir/ckpt.safetensors} so training continues exactly. */
    public void resume() throws IOException {
        resume(loadCheckpoint(outDir));
    }

    /**
     * The checkpoint a run in {@code outDir} resumes from, for a caller that needs its metadata before it
     * builds the model (the generator's kind, {@link #RNG_KIND}); hand it to {@link #resume(Checkpoint)}.
     *
     * @throws IOException naming the path if there is no checkpoint or it cannot be read
     */
    public static Checkpoint loadCheckpoint(Path outDir) throws IOException {
        Path file = outDir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new IOException("--resume: no checkpoint at " + file.toAbsolutePath());
        }
        return Checkpoint.load(file);
    }

    /** Restores {@code ckpt}, read from this run's folder by {@link #loadCheckpoint}, so training continues exactly. */
    public void resume(Checkpoint ckpt) {
        Path file = outDir.resolve(CHECKPOINT);
        Gpt.Config saved = GptCheckpoints.config(ckpt);
        if (!saved.equals(model.config())) {
            throw new IllegalArgumentException("--resume: the checkpoint's model " + saved + " differs from the requested "
                    + model.config());
        }
        String savedKind = ckpt.metadata().get(RNG_KIND);
        if (savedKind != null && !savedKind.equals(rng.kind())) {
            throw new IllegalArgumentException("--resume: " + file + " was trained with --rng " + savedKind
                    + " and this run has --rng " + rng.kind() + "; resume with --rng " + savedKind);
        }
        int savedStep = Integer.parseInt(ckpt.require("step"));
        double savedBest = Double.parseDouble(ckpt.require("best_val_loss"));
        try {
            rng.setState(ckpt.require(RNG_STATE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--resume: " + file + " holds no usable generator state (written by an"
                    + " older version?): " + e.getMessage(), e);
        }
        model.loadStateDict(ckpt.weights());
        optimizer.loadState(ckpt.optimizer());
        step = savedStep;
        bestVal = savedBest;
        LOG.info("resumed from {} at step {} (best val loss {})", file, step, fmt(bestVal));
    }

    /** Trains up to {@code maxIters}, logging progress through SLF4J every {@code logInterval} steps. */
    public Result train() throws IOException {
        return train(new LoggingListener());
    }

    /** Trains up to {@code maxIters}, evaluating and checkpointing on the way, reporting to {@code listener}. */
    public Result train(Listener listener) throws IOException {
        if (step > config.maxIters()) {
            throw new IllegalArgumentException("the run is at step " + step + ", beyond max_iters " + config.maxIters()
                    + ": nothing to train");
        }
        Files.createDirectories(outDir);
        List<Evaluation> evals = new ArrayList<>();
        List<double[]> trainLosses = new ArrayList<>();
        int startStep = step;
        long start = System.nanoTime();
        boolean saved = false;
        String stepStartRng = null;
        for (; step <= config.maxIters(); step++) {
            double lr = schedule.at(step);
            boolean evaluates = step % config.evalInterval() == 0 || step == config.maxIters();
            // A checkpoint written at this step resumes from here: the step's batch and evaluation are drawn again.
            stepStartRng = evaluates ? rng.state() : null;
            // nanoGPT fetches each step's batch before the step's evaluation (it prefetches it in the step before).
            Batch batch = data.batch(rng, config.batchSize(), model.config().blockSize(), TextDataset.Split.TRAIN);
            if (evaluates) {
                Evaluation e = evaluate(step);
                evals.add(e);
                listener.evaluated(e);
                if (!Double.isFinite(e.trainLoss()) || !Double.isFinite(e.valLoss())) {
                    throw new Gradients.NonFiniteException("step " + step + ": the evaluation loss is not finite (train "
                            + e.trainLoss() + ", val " + e.valLoss() + "); the last good checkpoint is "
                            + outDir.resolve(CHECKPOINT));
                }
                if (e.valLoss() < bestVal || config.alwaysSaveCheckpoint()) {
                    bestVal = Math.min(bestVal, e.valLoss());
                    if (step > startStep || config.alwaysSaveCheckpoint()) {
                        saveCheckpoint(stepStartRng);
                        saved = true;
                    }
                }
            }
            if (step == config.maxIters()) {
                break;
            }
            model.train(true);
            optimizer.zeroGrad();
            double loss;
            try (Tape tape = Tape.recordReusingStorage()) {
                Var l = model.loss(batch.x(), batch.y());
                loss = l.value().item();
                if (!Double.isFinite(loss)) {
                    throw new Gradients.NonFiniteException("step " + step + ": the training loss is " + loss
                            + "; the last good checkpoint is " + outDir.resolve(CHECKPOINT));
                }
                tape.backward(l);
            }
            Gradients.requireFinite(model.namedParameters(), step);
            if (config.gradClip() > 0) {
                Gradients.clipGlobalNorm(model.namedParameters(), config.gradClip());
            }
            optimizer.step(lr);
            trainLosses.add(new double[] {step, loss});
            listener.stepDone(step, loss, lr);
        }
        if (!saved && startStep == 0) {
            // Val never improved on the first evaluation: keep the final state rather than nothing. (A resumed
            // run that never improved keeps the checkpoint it resumed from, its best.)
            saveCheckpoint(stepStartRng);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new Result(evals, trainLosses, bestVal, wall, startStep);
    }

    /** Mean loss over {@code evalIters} batches of each split (train first), in evaluation mode, drawn from the run's generator. */
    private Evaluation evaluate(int atStep) {
        model.eval();
        double[] means = new double[2];
        TextDataset.Split[] splits = {TextDataset.Split.TRAIN, TextDataset.Split.VAL};
        for (int s = 0; s < 2; s++) {
            double sum = 0;
            for (int i = 0; i < config.evalIters(); i++) {
                Batch b = data.batch(rng, config.batchSize(), model.config().blockSize(), splits[s]);
                sum += model.loss(b.x(), b.y()).value().item();
            }
            means[s] = sum / config.evalIters();
        }
        model.train(true);
        return new Evaluation(atStep, means[0], means[1]);
    }

    /**
     * The mean next-token loss over every position of a whole split, read as consecutive non-overlapping
     * windows of {@code block_size} (positions see 1 … block_size tokens of context), in evaluation mode.
     * Unlike {@link #evaluate}'s {@code eval_iters} random batches, this has no sampling noise.
     */
    public double splitLoss(TextDataset.Split split) {
        int t = model.config().blockSize();
        int[] tokens = data.tokens(split).data();
        int windows = (tokens.length - 1) / t;
        IntTensor x = IntTensor.of(Arrays.copyOfRange(tokens, 0, windows * t), windows, t);
        IntTensor y = IntTensor.of(Arrays.copyOfRange(tokens, 1, windows * t + 1), windows, t);
        return model.meanLoss(x, y);
    }

    private void saveCheckpoint(String rngState) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(GptCheckpoints.metadata(model.config(), data.tokenizer()));
        meta.put("step", Integer.toString(step));
        meta.put("best_val_loss", Double.toString(bestVal));
        meta.put(RNG_KIND, rng.kind());
        meta.put(RNG_STATE, rngState);
        meta.put("train_config", config.toString());
        Checkpoint.save(outDir.resolve(CHECKPOINT), model.stateDict(), optimizer.state(), meta);
        LOG.debug("saved checkpoint at step {}", step);
    }

    /** Log lines with step, loss, learning rate, ms/step, tokens/s and time left (nanoGPT's log_interval). */
    private final class LoggingListener implements Listener {
        private long lastNanos = System.nanoTime();
        private int lastStep = step;

        @Override
        public void stepDone(int at, double loss, double lr) {
            if (at % config.logInterval() != 0) {
                return;
            }
            long now = System.nanoTime();
            int steps = Math.max(at - lastStep, 1);
            double msPerStep = (now - lastNanos) / 1e6 / steps;
            double tokensPerSec = (double) config.batchSize() * model.config().blockSize() * 1000 / msPerStep;
            LOG.info("step {}/{}: loss {}, lr {}, {} ms/step, {} tok/s, {} left", at, config.maxIters(), fmt(loss),
                    String.format(Locale.ROOT, "%.2e", lr), String.format(Locale.ROOT, "%.1f", msPerStep),
                    String.format(Locale.ROOT, "%,.0f", tokensPerSec),
                    duration(msPerStep * (config.maxIters() - at) / 1000));
            lastNanos = now;
            lastStep = at;
        }

        @Override
        public void evaluated(Evaluation e) {
            LOG.info("step {}: train loss {}, val loss {}", e.step(), fmt(e.trainLoss()), fmt(e.valLoss()));
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
