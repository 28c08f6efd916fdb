package io.github.gptfromscratch.models;

import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.io.Checkpoint;
import io.github.gptfromscratch.tensor.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a {@link Gpt} and its tokenizer are described in checkpoint metadata, and loaded back. */
public final class GptCheckpoints {

    private GptCheckpoints() {
    }

    /** A trained model with the tokenizer it was trained with. */
    public record Loaded(Gpt model, CharTokenizer tokenizer, Map<String, String> metadata) {
    }

    /** The metadata entries that rebuild the model and its tokenizer. */
    public static Map<String, String> metadata(Gpt.Config c, CharTokenizer tokenizer) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", "gpt");
        m.put("vocab_size", Integer.toString(c.vocabSize()));
        m.put("block_size", Integer.toString(c.blockSize()));
        m.put("n_layer", Integer.toString(c.nLayer()));
        m.put("n_head", Integer.toString(c.nHead()));
        m.put("n_embd", Integer.toString(c.nEmbd()));
        m.put("dropout", Float.toString(c.dropout()));
        m.put("bias", Boolean.toString(c.bias()));
        m.put("gelu", c.gelu().name());
        m.put("tied_head", Boolean.toString(c.tiedHead()));
        m.put("tokenizer", tokenizer.toString());
        return m;
    }

    /** The architecture stored in a checkpoint. */
    public static Gpt.Config config(Checkpoint ckpt) {
        if (!"gpt".equals(ckpt.metadata().get("model"))) {
            throw new IllegalArgumentException("not a GPT checkpoint (model = " + ckpt.metadata().get("model") + ")");
        }
        return new Gpt.Config(Integer.parseInt(ckpt.require("vocab_size")), Integer.parseInt(ckpt.require("block_size")),
                Integer.parseInt(ckpt.require("n_layer")), Integer.parseInt(ckpt.require("n_head")),
                Integer.parseInt(ckpt.require("n_embd")), Float.parseFloat(ckpt.require("dropout")),
                Boolean.parseBoolean(ckpt.require("bias")),
                // checkpoints written before the makemore variant existed are nanoGPT's model
                Gpt.Gelu.valueOf(ckpt.metadata().getOrDefault("gelu", Gpt.Gelu.ERF.name())),
                Boolean.parseBoolean(ckpt.metadata().getOrDefault("tied_head", "true")));
    }

    /** Loads a model (in evaluation mode) and its tokenizer from a checkpoint file. */
    public static Loaded load(Path file) throws IOException {
        Checkpoint ckpt = Checkpoint.load(file);
        Gpt gpt = new Gpt(config(ckpt), new Rng(0));
        gpt.loadStateDict(ckpt.weights());
        gpt.eval();
        return new Loaded(gpt, CharTokenizer.fromString(ckpt.require("tokenizer")), ckpt.metadata());
    }
}
