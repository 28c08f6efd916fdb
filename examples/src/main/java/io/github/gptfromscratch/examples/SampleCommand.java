package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.models.GptCheckpoints;
import io.github.gptfromscratch.models.GptTrainer;
import io.github.gptfromscratch.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Generates text from a trained GPT checkpoint. */
@Command(name = "sample", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Generate text from a GPT checkpoint.")
public final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", defaultValue = "runs/gpt",
            description = "Folder holding ckpt.safetensors (or the file itself).")
    Path checkpoint;

    @Option(names = "--prompt", defaultValue = "\n", description = "Text to continue.")
    String prompt;

    @Option(names = "--tokens", defaultValue = "500", description = "Characters to generate.")
    int tokens;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Divide the logits by this (> 0).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Sample only among the k most likely characters (0 = all).")
    int topK;

    @Option(names = "--seed", defaultValue = "1337", description = "Seed of the sampler.")
    long seed;

    @Option(names = "--rng", paramLabel = "KIND",
            description = {"Random number generator: pytorch (PyTorch's CPU generator, as nanoGPT's sample.py) or",
                    "splitmix (default: the one the checkpoint was trained with)."})
    String rng;

    @Option(names = "--no-cache", description = "Recompute the whole context for every token (slower; same output).")
    boolean noCache;

    @Override
    public Integer call() throws Exception {
        if (tokens < 0 || !(temperature > 0f) || topK < 0) {
            throw new ParameterException(spec.commandLine(), "need --tokens >= 0, --temperature > 0 and --top-k >= 0; got "
                    + tokens + ", " + temperature + ", " + topK);
        }
        if (rng != null) {
            try {
                CommonOptions.requireRngKind(rng);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        Path file = Files.isDirectory(checkpoint) ? checkpoint.resolve(GptTrainer.CHECKPOINT) : checkpoint;
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "--checkpoint: no checkpoint at " + file.toAbsolutePath()
                    + " (train one with: gptfs gpt --out " + checkpoint + ")");
        }
        GptCheckpoints.Loaded loaded = GptCheckpoints.load(file);
        int[] ids;
        try {
            ids = loaded.tokenizer().encode(prompt, "prompt");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        int[] out = loaded.model().generate(ids, tokens, temperature, topK, sampler(loaded), !noCache);
        System.out.println(loaded.tokenizer().decode(out));
        return 0;
    }

    /** {@code --rng}, or the generator the checkpoint was trained with, seeded with {@code --seed}. */
    private Rng sampler(GptCheckpoints.Loaded loaded) {
        String kind = rng != null ? rng : loaded.metadata().getOrDefault(GptTrainer.RNG_KIND, CommonOptions.RNG_PYTORCH);
        return CommonOptions.newRng(kind, seed);
    }
}
