package io.github.gptfromscratch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.io.SafeTensorFile;
import io.github.gptfromscratch.tensor.io.SafeTensors;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The makemore MLP and WaveNet against PyTorch (shared/golden/mlp_names and wavenet_names): the
 * weights load by name, and one training-mode forward and backward gives the golden logits, loss,
 * every gradient and (WaveNet) the running statistics after that one forward.
 */
class MakemoreGoldenTest {

    @Test
    void mlpMatchesPyTorch() throws Exception {
        SafeTensorFile golden = SafeTensors.read(GoldenFiles.path("mlp_names.safetensors"));
        Map<String, String> meta = golden.metadata();
        MlpLanguageModel model = new MlpLanguageModel(new MlpLanguageModel.Config(27,
                Integer.parseInt(meta.get("block_size")), Integer.parseInt(meta.get("n_embd")),
                Integer.parseInt(meta.get("n_hidden")), false, false), new Rng(1));
        assertEquals(11_897, model.parameterCount());
        model.loadStateDict(parametersOf(golden, model.stateDict().keySet().toArray(String[]::new)));
        checkForwardBackward(golden, model, model.namedParameters());
    }

    @Test
    void waveNetMatchesPyTorchIncludingRunningStatistics() throws Exception {
        SafeTensorFile golden = SafeTensors.read(GoldenFiles.path("wavenet_names.safetensors"));
        Map<String, String> meta = golden.metadata();
        WaveNet model = new WaveNet(new WaveNet.Config(27, Integer.parseInt(meta.get("block_size")),
                Integer.parseInt(meta.get("n_embd")), Integer.parseInt(meta.get("n_hidden"))), new Rng(1));
        assertEquals(76_579, model.parameterCount());
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : model.stateDict().keySet()) {
            // The file's running statistics are the ones *after* the forward pass; start from PyTorch's 0 / 1.
            if (name.endsWith("running_mean")) {
                state.put(name, Tensor.zeros(128));
            } else if (name.endsWith("running_var")) {
                state.put(name, Tensor.ones(128));
            } else {
                state.put(name, golden.floatTensor(name));
            }
        }
        model.loadStateDict(state);
        model.train(true);
        checkForwardBackward(golden, model, model.namedParameters());
        model.namedBuffers().forEach((name, ours) -> {
            try {
                GoldenFiles.assertClose(name, golden.floatTensor(name), ours);
            } catch (Exception e) {
                throw new AssertionError(name, e);
            }
        });
    }

    private static Map<String, Tensor> parametersOf(SafeTensorFile golden, String... names) throws Exception {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, golden.floatTensor(name));
        }
        return out;
    }

    private static void checkForwardBackward(SafeTensorFile golden, NameModel model, Map<String, Var> params)
            throws Exception {
        IntTensor x = golden.intTensor("input.X");
        IntTensor y = golden.intTensor("input.Y");
        try (Tape tape = Tape.record()) {
            Var logits = model.logits(x);
            Var loss = logits.crossEntropy(y);
            tape.backward(loss);
            GoldenFiles.assertClose("logits", golden.floatTensor("expected.logits"), logits.value());
            GoldenFiles.assertClose("loss", golden.floatTensor("expected.loss"), loss.value());
        }
        for (Map.Entry<String, Var> p : params.entrySet()) {
            GoldenFiles.assertClose("grad." + p.getKey(), golden.floatTensor("grad." + p.getKey()), p.getValue().grad());
        }
    }
}
