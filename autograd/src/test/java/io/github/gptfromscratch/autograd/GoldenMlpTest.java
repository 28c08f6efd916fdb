package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.io.SafeTensorFile;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The makemore MLP (Bengio et al. 2003) built from the engine's operations matches PyTorch's loss,
 * logits and gradients in {@code golden/mlp_names.safetensors}.
 */
class GoldenMlpTest {

    @Test
    void forwardAndBackwardMatchPyTorch() throws IOException {
        SafeTensorFile file = Golden.load("mlp_names.safetensors");
        Map<String, Var> p = Golden.parameters(file);
        IntTensor x = file.intTensor("input.X");
        IntTensor y = file.intTensor("input.Y");
        int batch = x.size(0);
        int context = Integer.parseInt(file.metadata().get("block_size"));
        int embedding = Integer.parseInt(file.metadata().get("n_embd"));

        Var logits;
        Var loss;
        try (Tape tape = Tape.record()) {
            // here W is [in, out] (h = emb·W1 + b1), unlike nn.Linear's [out, in]
            Var emb = Indexing.embedding(p.get("C"), x).reshape(batch, context * embedding);
            Var h = emb.matmul(p.get("W1")).add(p.get("b1")).tanh();
            logits = h.matmul(p.get("W2")).add(p.get("b2"));
            loss = logits.crossEntropy(y);
            tape.backward(loss);
        }

        Golden.assertMatches(file, "expected.loss", loss.value());
        Golden.assertMatches(file, "expected.logits", logits.value());
        Golden.assertGradients(file, p);
    }
}
