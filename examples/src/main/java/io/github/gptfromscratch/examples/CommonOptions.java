package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.data.Datasets;
import io.github.gptfromscratch.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Options every training command shares, as a picocli mixin. Numeric options have no fixed default here:
 * each command passes its own (the lecture's) to {@link #steps(int)}, {@link #batchSize(int)} and
 * {@link #learningRate(double)}, so one mixin serves the bigram, the MLP, WaveNet and the GPT.
 *
 * <pre>{@code
 * @CommandLine.Mixin CommonOptions common;
 * ...
 * common.validate();
 * int steps = common.steps(200_000);
 * }</pre>
 */
public final class CommonOptions {

    /** The lectures' seed for {@code torch.Generator().manual_seed}, the default of most commands. */
    public static final long LECTURE_SEED = 2147483647L;
    static final String RNG_PYTORCH = Rng.PYTORCH;
    private static final String SAMPLE_SEED_KEY = "sample_seed";
    private static final String RNG_KEY = "rng";
    static final String RNG_SPLITMIX = Rng.SPLITMIX;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Training text, one item per line (default: names.txt from the data cache, downloaded if needed).")
    Path data;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps, >= 1 (default: the command's, see its description).")
    Integer steps;

    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step, >= 1 (default: the command's).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "Initial learning rate, > 0 (default: the command's).")
    Double lr;

    @Option(names = "--seed", paramLabel = "N",
            description = {"Seed for initialisation, batches and samples (default: the one the command's lecture seeds its",
                    "generator with: 2147483647; wavenet 42; transformer 3407). With --rng pytorch only its low 32 bits count."})
    Long seed;

    @Option(names = "--rng", paramLabel = "KIND",
            description = {"Random number generator: pytorch (PyTorch's CPU generator: with the default seed the lecture's own",
                    "initial weights, minibatches and samples) or splitmix (the library's SplitMix64) (default: pytorch;",
                    "with --sample-only, the one the checkpoint was trained with)."})
    String rng;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the checkpoint and plots (default: runs/<command>).")
    Path out;

    @Option(names = "--metrics", paramLabel = "FILE", description = "Also write the run's results as JSON to FILE.")
    Path metrics;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "20", description = "Names to sample at the end, >= 0 (default: ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--sample-only", description = "Load the checkpoint from --out and only print samples.")
    boolean sampleOnly;

    @Option(names = "--verbose", description = "Log progress more often and print per-split details.")
    boolean verbose;

    /**
     * Checks every option; picocli turns the exception into a usage error (exit code 2) that names the
     * option and the bad value.
     */
    public void validate() {
        if (steps != null && steps < 1) {
            throw badValue("--steps", steps, "must be at least 1");
        }
        if (batchSize != null && batchSize < 1) {
            throw badValue("--batch-size", batchSize, "must be at least 1");
        }
        if (lr != null && (!(lr > 0) || lr.isInfinite())) {
            throw badValue("--lr", lr, "must be a finite number > 0");
        }
        if (rng != null) {
            try {
                requireRngKind(rng);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(mixee.commandLine(), e.getMessage());
            }
        }
        if (sample < 0) {
            throw badValue("--sample", sample, "must be >= 0");
        }
        if (data != null && !Files.isRegularFile(data)) {
            throw badValue("--data", data, "is not a readable file");
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw badValue("--out", out, "exists and is not a folder");
        }
        if (metrics != null && Files.isDirectory(metrics)) {
            throw badValue("--metrics", metrics, "is a folder, expected a file");
        }
    }

    /** A usage error for {@code option}: {@code Invalid value 'v' for option '--x': why}. */
    public ParameterException badValue(String option, Object value, String why) {
        return new ParameterException(mixee.commandLine(),
                "Invalid value '" + value + "' for option '" + option + "': " + why);
    }

    /** The data file: {@code --data}, or names.txt from the cache. */
    public Path dataFile() {
        return data != null ? data : Datasets.names();
    }

    /** {@code --steps}, or the command's default. */
    public int steps(int commandDefault) {
        return steps != null ? steps : commandDefault;
    }

    /** {@code --batch-size}, or the command's default. */
    public int batchSize(int commandDefault) {
        return batchSize != null ? batchSize : commandDefault;
    }

    /** {@code --lr}, or the command's default. */
    public double learningRate(double commandDefault) {
        return lr != null ? lr : commandDefault;
    }

    /** {@code --seed}, or the command's default. */
    public long seed(long commandDefault) {
        return seed != null ? seed : commandDefault;
    }

    private static boolean isRngKind(String kind) {
        return RNG_PYTORCH.equals(kind) || RNG_SPLITMIX.equals(kind);
    }

    /** {@code --rng}: {@code pytorch} (the default) or {@code splitmix}. */
    public String rngKind() {
        return rng != null ? rng : RNG_PYTORCH;
    }

    /** A generator of the {@code --rng} kind seeded with {@code seed}. */
    public Rng rng(long seed) {
        return newRng(rngKind(), seed);
    }

    /**
     * A generator of {@code kind}, {@code pytorch} or {@code splitmix}, seeded with {@code seed}.
     *
     * @throws IllegalArgumentException naming {@code --rng} for any other kind
     */
    static Rng newRng(String kind, long seed) {
        requireRngKind(kind);
        return kind.equals(RNG_PYTORCH) ? Rng.pytorch(seed) : new Rng(seed);
    }

    /**
     * Checks a {@code --rng} value.
     *
     * @throws IllegalArgumentException naming {@code --rng} unless {@code kind} is {@code pytorch} or {@code splitmix}
     */
    static void requireRngKind(String kind) {
        if (!isRngKind(kind)) {
            throw new IllegalArgumentException("Invalid value '" + kind + "' for option '--rng': must be " + RNG_PYTORCH
                    + " or " + RNG_SPLITMIX);
        }
    }

    /** The generator that samples names: PyTorch's seeded with {@code seed}, or a split of SplitMix64's. */
    public Rng sampleRng(long seed) {
        return sampleRng(rngKind(), seed);
    }

    private static Rng sampleRng(String kind, long seed) {
        return kind.equals(RNG_PYTORCH) ? Rng.pytorch(seed) : new Rng(seed).split();
    }

    /**
     * What a checkpoint records so that {@code --sample-only} draws the names the end of training drew:
     * the sampling seed and the generator kind.
     */
    public Map<String, String> samplingMetadata(long sampleSeed) {
        // Ordered: Map.of's order changes from run to run, and a checkpoint written twice must be the same bytes.
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(SAMPLE_SEED_KEY, Long.toString(sampleSeed));
        metadata.put(RNG_KEY, rngKind());
        return metadata;
    }

    /**
     * The generator for {@code --sample-only}: {@code --seed} and {@code --rng} when given, otherwise what
     * the checkpoint's {@link #samplingMetadata} recorded, otherwise {@code defaultSampleSeed} and PyTorch's
     * generator (checkpoints written before the metadata existed).
     */
    public Rng sampleRng(Map<String, String> checkpointMetadata, long defaultSampleSeed) {
        long sampleSeed = defaultSampleSeed;
        String storedSeed = checkpointMetadata.get(SAMPLE_SEED_KEY);
        if (seed == null && storedSeed != null) {
            try {
                sampleSeed = Long.parseLong(storedSeed);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("the checkpoint's metadata has " + SAMPLE_SEED_KEY + " '" + storedSeed
                        + "', not a whole number; pass --seed to sample anyway");
            }
        }
        String kind = rngKind();
        String storedKind = checkpointMetadata.get(RNG_KEY);
        if (rng == null && isRngKind(storedKind)) {
            kind = storedKind;
        }
        return sampleRng(kind, sampleSeed);
    }

    /** {@code --out}, or {@code runs/<command name>}. */
    public Path outDir() {
        return out != null ? out : Path.of("runs", mixee.name());
    }

    /** {@code --metrics}, or null. */
    public Path metricsFile() {
        return metrics;
    }

    /** {@code --sample}. */
    public int sampleCount() {
        return sample;
    }

    /** {@code --sample-only}. */
    public boolean sampleOnly() {
        return sampleOnly;
    }

    /** {@code --verbose}. */
    public boolean verbose() {
        return verbose;
    }
}
