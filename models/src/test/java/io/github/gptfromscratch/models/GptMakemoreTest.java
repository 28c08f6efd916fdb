package io.github.gptfromscratch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.io.Checkpoint;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** makemore.py's Transformer as a {@link Gpt} variant: sizes, names, initialisation, padded loss, checkpoints. */
class GptMakemoreTest {

    private static Gpt makemore(long seed) {
        return new Gpt(Gpt.Config.makemore(27, 16), Gpt.Initialisation.PYTORCH_DEFAULTS, new Rng(seed));
    }

    @Test
    void hasMakemoresParameterCountAndItsOwnLmHead() {
        Gpt gpt = makemore(1);
        // reference-results §7: 202,816 in the transformer + lm_head 27 × 64 without bias
        assertEquals(204_544, gpt.parameterCount());
        Map<String, Var> p = gpt.namedParameters();
        assertArrayEquals(new int[] {27, 64}, p.get("lm_head.weight").shape());
        assertTrue(p.containsKey("transformer.h.3.attn.c_attn.bias"));
        assertTrue(p.containsKey("transformer.ln_f.bias"));
        assertFalse(p.containsKey("lm_head.bias"));
    }

    @Test
    void keepsPytorchsDefaultInitialisation() {
        Gpt gpt = makemore(2);
        Tensor cProj = gpt.namedParameters().get("transformer.h.0.mlp.c_proj.weight").value();
        float bound = (float) (1 / Math.sqrt(256));
        assertTrue(cProj.abs().max().item() <= bound, "uniform within ±1/sqrt(fan_in)");
        assertTrue(cProj.abs().max().item() > 0.9f * bound, "and not nanoGPT's N(0, 0.02/sqrt(8))");
        Tensor wte = gpt.namedParameters().get("transformer.wte.weight").value();
        double std = Math.sqrt(wte.square().mean().item());
        assertEquals(1.0, std, 0.1, "embeddings N(0, 1)");
    }

    @Test
    void paddedTargetsAreLeftOutOfTheLossAndItsGradient() {
        Gpt gpt = makemore(3);
        int[] x = {0, 5, 13, 13, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        int[] y = {5, 13, 13, 1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
        Var logits = gpt.forward(IntTensor.of(x, 1, 16));
        // positions 0..4 by hand: mean of -log softmax(logits)[target]
        Tensor logProbs = logits.value().reshape(16, 27).logSoftmax(1);
        double expected = 0;
        for (int t = 0; t < 5; t++) {
            expected -= logProbs.get(t, y[t]);
        }
        expected /= 5;
        assertEquals(expected, gpt.loss(IntTensor.of(x, 1, 16), IntTensor.of(y, 1, 16)).value().item(), 1e-5);

        // Changing a padded position's input changes nothing at the kept positions (causality), and
        // changing its target changes nothing at all.
        int[] otherPadding = x.clone();
        otherPadding[10] = 7;
        float a = gpt.loss(IntTensor.of(x, 1, 16), IntTensor.of(y, 1, 16)).value().item();
        float b = gpt.loss(IntTensor.of(otherPadding, 1, 16), IntTensor.of(y, 1, 16)).value().item();
        assertEquals(a, b, 1e-6f);
        try (Tape tape = Tape.record()) {
            tape.backward(gpt.loss(IntTensor.of(x, 1, 16), IntTensor.of(y, 1, 16)));
        }
        // no gradient reaches the position embedding of position 10: nothing kept reads it
        Tensor wpeGrad = gpt.namedParameters().get("transformer.wpe.weight").grad();
        assertEquals(0f, wpeGrad.select(0, 10).abs().max().item());
        assertTrue(wpeGrad.select(0, 4).abs().max().item() > 0f);
    }

    @Test
    void cachedGenerationMatchesUncachedWithAnUntiedHead() {
        Gpt gpt = makemore(4);
        gpt.eval();
        for (long seed : new long[] {1, 2}) {
            assertArrayEquals(gpt.generate(new int[] {0}, 15, 1f, 0, new Rng(seed), false),
                    gpt.generate(new int[] {0}, 15, 1f, 0, new Rng(seed), true), "seed " + seed);
        }
    }

    @Test
    void checkpointKeepsTheVariant(@TempDir Path tmp) throws IOException {
        Gpt gpt = makemore(5);
        CharTokenizer tokenizer = CharTokenizer.ofWords(List.of("abcdefghijklmnopqrstuvwxyz"));
        Path file = tmp.resolve("ckpt.safetensors");
        Checkpoint.save(file, gpt.stateDict(), Map.of(), GptCheckpoints.metadata(gpt.config(), tokenizer));
        GptCheckpoints.Loaded loaded = GptCheckpoints.load(file);
        assertEquals(gpt.config(), loaded.model().config());
        IntTensor x = IntTensor.of(new int[] {0, 3, 4}, 1, 3);
        gpt.eval();
        assertArrayEquals(gpt.forward(x).value().toArray(), loaded.model().forward(x).value().toArray());
    }

    @Test
    void meanLossWeighsEveryKeptTargetAlikeAndRestoresTheMode() {
        Gpt gpt = makemore(6);
        int rows = 1500; // more than one evaluation pass of 16-token rows
        int[] x = new int[rows * 16];
        int[] y = new int[rows * 16];
        Rng rng = new Rng(9);
        for (int r = 0; r < rows; r++) {
            int length = 2 + rng.nextInt(13);
            for (int t = 0; t < 16; t++) {
                x[r * 16 + t] = t == 0 || t > length ? 0 : 1 + rng.nextInt(26);
                y[r * 16 + t] = t < length ? x[r * 16 + t + 1] : t == length ? 0 : -1;
            }
        }
        gpt.train(true);
        double mean = gpt.meanLoss(IntTensor.of(x, rows, 16), IntTensor.of(y, rows, 16));
        assertTrue(gpt.isTraining(), "the mode is restored");
        gpt.eval();
        double whole = gpt.loss(IntTensor.of(x, rows, 16), IntTensor.of(y, rows, 16)).value().item();
        assertEquals(whole, mean, 1e-5 * whole);
        int[] ignored = new int[16];
        java.util.Arrays.fill(ignored, -1);
        assertThrows(IllegalArgumentException.class,
                () -> gpt.meanLoss(IntTensor.of(new int[16], 1, 16), IntTensor.of(ignored, 1, 16)));
    }
}
