package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.io.SafeTensorFile;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The hierarchical WaveNet-style MLP of makemore part 5, built from the engine's operations, matches
 * PyTorch's loss, logits, gradients and BatchNorm running statistics in
 * {@code golden/wavenet_names.safetensors}.
 */
class GoldenWavenetTest {

    private static final int LEVELS = 3;
    private static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.1f;

    @Test
    void forwardAndBackwardMatchPyTorch() throws IOException {
        SafeTensorFile file = Golden.load("wavenet_names.safetensors");
        Map<String, Var> p = Golden.parameters(file, "running_");
        IntTensor x = file.intTensor("input.X");
        IntTensor y = file.intTensor("input.Y");
        int channels = p.get("layers.0.bn.weight").value().numel();
        Tensor[] runningMean = new Tensor[LEVELS];
        Tensor[] runningVar = new Tensor[LEVELS];
        for (int i = 0; i < LEVELS; i++) {
            runningMean[i] = Tensor.zeros(channels);
            runningVar[i] = Tensor.ones(channels);
        }

        Var logits;
        Var loss;
        try (Tape tape = Tape.record()) {
            Var h = Indexing.embedding(p.get("embedding.weight"), x); // [B, 8, 24]
            for (int i = 0; i < LEVELS; i++) {
                String layer = "layers." + i + ".";
                h = flattenConsecutive(h, 2);
                h = MatMul.linear(h, p.get(layer + "linear.weight"), null);
                h = Normalization.batchNorm(h, p.get(layer + "bn.weight"), p.get(layer + "bn.bias"),
                        runningMean[i], runningVar[i], MOMENTUM, EPS, true);
                h = h.tanh();
            }
            logits = MatMul.linear(h, p.get("head.weight"), p.get("head.bias"));
            loss = logits.crossEntropy(y);
            tape.backward(loss);
        }

        Golden.assertMatches(file, "expected.loss", loss.value());
        Golden.assertMatches(file, "expected.logits", logits.value());
        Golden.assertGradients(file, p);
        for (int i = 0; i < LEVELS; i++) {
            Golden.assertMatches(file, "layers." + i + ".bn.running_mean", runningMean[i]);
            Golden.assertMatches(file, "layers." + i + ".bn.running_var", runningVar[i]);
        }
    }

    /**
     * [B, T, C] → [B, T/n, C·n]: n neighbouring positions concatenated; the position axis disappears
     * when it reaches 1, as makemore's FlattenConsecutive.
     */
    private static Var flattenConsecutive(Var x, int n) {
        int[] s = x.shape();
        Var out = x.reshape(s[0], s[1] / n, s[2] * n);
        return s[1] / n == 1 ? out.squeeze(1) : out;
    }
}
