package io.github.gptfromscratch.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Tensor;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The PyTorch-written golden files in the shared folder read correctly and survive our writer. */
class SafeTensorsGoldenTest {

    private static SafeTensorFile golden(String name) throws IOException {
        return SafeTensors.read(TestFiles.sharedDir().resolve("golden").resolve(name));
    }

    @Test
    void mlpNamesHoldsTheMakemoreMlp() throws IOException {
        SafeTensorFile f = golden("mlp_names.safetensors");
        assertArrayEquals(new int[] {27, 10}, f.shape("C"));
        assertEquals("F32", f.dtype("C"));
        assertArrayEquals(new int[] {30, 200}, f.floatTensor("W1").shape());
        assertEquals("I64", f.dtype("input.X"));
        IntTensor x = f.intTensor("input.X");
        assertArrayEquals(new int[] {32, 3}, x.shape());
        for (int id : x.data()) {
            assertTrue(id >= 0 && id < 27, "token id " + id + " outside the 27-letter vocabulary");
        }
        assertArrayEquals(new int[] {32}, f.intTensor("input.Y").shape());
        Tensor loss = f.floatTensor("expected.loss");
        assertEquals(0, loss.dim(), "the loss is a 0-d tensor");
        // An untrained 27-way classifier has a loss of a few nats.
        assertTrue(loss.item() > 1f && loss.item() < 30f, "loss " + loss.item());
        assertEquals("mlp", f.metadata().get("model"));
        assertEquals("3", f.metadata().get("block_size"));
    }

    @Test
    void gptTinyHoldsTheNanoGptStateDictAndConfig() throws IOException {
        SafeTensorFile f = golden("gpt_tiny.safetensors");
        assertArrayEquals(new int[] {65, 32}, f.shape("transformer.wte.weight"));
        assertArrayEquals(new int[] {96, 32}, f.shape("transformer.h.0.attn.c_attn.weight"));
        assertArrayEquals(new int[] {32, 128}, f.shape("transformer.h.1.mlp.c_proj.weight"));
        assertFalse(f.contains("lm_head.weight"), "the LM head is tied to wte");
        assertEquals(0, f.shape("expected.loss").length);
        Map<String, String> config = f.metadata();
        assertEquals("65", config.get("vocab_size"));
        assertEquals("2", config.get("n_layer"));
        assertTrue(config.get("adamw").startsWith("{\"lr\": 0.001"), config.get("adamw"));
    }

    @Test
    void wavenetNamesHoldsItsBatchNormStatistics() throws IOException {
        SafeTensorFile f = golden("wavenet_names.safetensors");
        assertArrayEquals(new int[] {27, 24}, f.shape("embedding.weight"));
        assertArrayEquals(new int[] {128, 48}, f.shape("layers.0.linear.weight"));
        assertTrue(f.contains("layers.2.bn.running_var"));
        assertEquals("wavenet", f.metadata().get("model"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp_names.safetensors", "wavenet_names.safetensors", "gpt_tiny.safetensors"})
    void reEncodingGivesIdenticalTensorsAndMetadata(String name) throws IOException {
        SafeTensorFile original = golden(name);
        Map<String, Tensor> floats = original.floatTensors();
        Map<String, IntTensor> ints = original.intTensors();
        assertEquals(original.names().size(), floats.size() + ints.size(), name + ": every tensor is F32 or I64");

        SafeTensorFile again = SafeTensors.decode(SafeTensors.encode(floats, ints, original.metadata()), name);
        assertEquals(new HashSet<>(original.names()), new HashSet<>(again.names()));
        assertEquals(original.metadata(), again.metadata());
        for (String tensor : original.names()) {
            assertEquals(original.dtype(tensor), again.dtype(tensor), tensor);
            assertArrayEquals(original.shape(tensor), again.shape(tensor), tensor);
            if (floats.containsKey(tensor)) {
                assertArrayEquals(original.floatTensor(tensor).toArray(), again.floatTensor(tensor).toArray(), tensor);
            } else {
                assertEquals(original.intTensor(tensor), again.intTensor(tensor), tensor);
            }
        }
    }
}
