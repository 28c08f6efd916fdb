package io.github.gptfromscratch.io;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.io.SafeTensorFile;
import io.github.gptfromscratch.tensor.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in one safetensors file: the model's weights under their own names (so the
 * file loads in PyTorch as a state dict), the optimizer's tensors under {@code optimizer.*}, and the
 * rest of the training state (config, step, random generator states, tokenizer) as metadata.
 *
 * <p>Files are written to a temporary file in the same folder, flushed and renamed, so a crash never
 * leaves a half-written checkpoint: the previous one stays until the new one is complete.
 *
 * <pre>{@code
 * Checkpoint.save(dir.resolve("ckpt.safetensors"), model.stateDict(), optimizer.state(), Map.of("step", "500"));
 * Checkpoint ckpt = Checkpoint.load(dir.resolve("ckpt.safetensors"));
 * model.loadStateDict(ckpt.weights());
 * }</pre>
 */
public record Checkpoint(Map<String, Tensor> weights, Map<String, Tensor> optimizer, Map<String, String> metadata) {

    private static final String OPTIMIZER_PREFIX = "optimizer.";

    /** Writes a checkpoint atomically. */
    public static void save(Path file, Map<String, Tensor> weights, Map<String, Tensor> optimizer,
                            Map<String, String> metadata) throws IOException {
        Map<String, Tensor> all = new LinkedHashMap<>(weights);
        optimizer.forEach((name, t) -> {
            if (all.put(OPTIMIZER_PREFIX + name, t) != null) {
                throw new IllegalArgumentException("checkpoint: weight name " + OPTIMIZER_PREFIX + name
                        + " collides with an optimizer tensor");
            }
        });
        SafeTensors.write(file, all, Map.<String, IntTensor>of(), metadata);
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @throws IOException naming the file if it is missing or malformed
     */
    public static Checkpoint load(Path file) throws IOException {
        SafeTensorFile f = SafeTensors.read(file);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> optimizer = new LinkedHashMap<>();
        f.floatTensors().forEach((name, t) -> {
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                optimizer.put(name.substring(OPTIMIZER_PREFIX.length()), t);
            } else {
                weights.put(name, t);
            }
        });
        return new Checkpoint(weights, optimizer, f.metadata());
    }

    /** A metadata value, or an error naming the key that is missing. */
    public String require(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint metadata has no '" + key + "' (keys: " + metadata.keySet() + ")");
        }
        return v;
    }
}
