package io.github.gptfromscratch.models;

import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.io.SafeTensorFile;
import io.github.gptfromscratch.tensor.io.SafeTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Gpt module against nanoGPT run by PyTorch (shared/golden/gpt_tiny.safetensors). */
class GptGoldenTest {

    private static SafeTensorFile golden;

    @BeforeAll
    static void load() throws Exception {
        golden = SafeTensors.read(GoldenFiles.path("gpt_tiny.safetensors"));
    }

    /**
     * Every tensor of nanoGPT's state dict loads under its own name and shape. (The file's logits and
     * gradients cannot be compared: its parameter tensors are bit-identical to its
     * {@code after_adamw_2_steps.*} tensors, i.e. the generator saved the weights after training, so the
     * weights that produced {@code expected.*} and {@code grad.*} are not in the file. The MLP and
     * WaveNet golden files, and the float64 finite-difference properties, cover the same operations.)
     */
    @Test
    void nanoGptStateDictLoadsByName() throws Exception {
        Map<String, String> meta = golden.metadata();
        Gpt gpt = new Gpt(new Gpt.Config(Integer.parseInt(meta.get("vocab_size")),
                Integer.parseInt(meta.get("block_size")), Integer.parseInt(meta.get("n_layer")),
                Integer.parseInt(meta.get("n_head")), Integer.parseInt(meta.get("n_embd")), 0f,
                Boolean.parseBoolean(meta.get("bias"))), new Rng(0));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String name : golden.names()) {
            if (name.startsWith("transformer.")) {
                weights.put(name, golden.floatTensor(name));
            }
        }
        gpt.loadStateDict(weights);
        assertEquals(weights.keySet(), gpt.stateDict().keySet());
        for (String name : weights.keySet()) {
            assertEquals(0f, gpt.stateDict().get(name).sub(weights.get(name)).abs().max().item(), name);
        }
    }

    @Test
    void nanoGptParameterNamesAndCount() throws Exception {
        Gpt gpt = new Gpt(Gpt.Config.shakespeareCpu(65), new Rng(1337));
        // nanoGPT's README recipe: 0.80M parameters without the position embeddings (reference-results §9).
        assertEquals(795_904, gpt.parameterCountWithoutPositions());
        assertEquals(false, gpt.config().bias());
        assertEquals("transformer.h.0.attn.c_attn.weight",
                gpt.namedParameters().keySet().stream().filter(n -> n.contains("c_attn.weight")).findFirst().orElseThrow());
    }
}
