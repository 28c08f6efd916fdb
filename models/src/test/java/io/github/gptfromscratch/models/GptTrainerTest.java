package io.github.gptfromscratch.models;

import io.github.gptfromscratch.data.TextDataset;
import io.github.gptfromscratch.optim.Gradients;
import io.github.gptfromscratch.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptTrainerTest {

    private static final String TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n"
            .repeat(20);

    private static Gpt.Config modelConfig(TextDataset data) {
        return new Gpt.Config(data.tokenizer().vocabSize(), 8, 2, 2, 16, 0.1f, true);
    }

    private static GptTrainer.Config trainConfig(int maxIters) {
        // lr decay fixed at 20 steps so that a 10-step run and a 20-step run share the schedule.
        return new GptTrainer.Config(maxIters, 4, 3e-3, 3e-4, 3, 20, 0.9, 0.99, 0.1, 1.0, 5, 2, 5, true);
    }

    @ParameterizedTest(name = "PyTorch''s generator: {0}")
    @ValueSource(booleans = {true, false})
    void resumeReproducesAnUninterruptedRunBitForBit(boolean pytorch, @TempDir Path dir) throws Exception {
        TextDataset data = TextDataset.fromText("test", TEXT);
        // Dropout 0.1: its masks come from the same generator as the batches and evaluations.
        GptTrainer.Result whole = new GptTrainer(new Gpt(modelConfig(data), rng(pytorch, 1)), data, trainConfig(20),
                dir.resolve("whole")).train();

        new GptTrainer(new Gpt(modelConfig(data), rng(pytorch, 1)), data, trainConfig(10), dir.resolve("split")).train();
        GptTrainer resumed = new GptTrainer(new Gpt(modelConfig(data), rng(pytorch, 999)), data, trainConfig(20),
                dir.resolve("split"));
        resumed.resume();
        assertEquals(10, resumed.step());
        GptTrainer.Result second = resumed.train();

        List<double[]> a = whole.trainLosses().subList(10, 20);
        List<double[]> b = second.trainLosses();
        assertEquals(10, b.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(a.get(i)[0], b.get(i)[0], "step");
            assertEquals(Double.doubleToLongBits(a.get(i)[1]), Double.doubleToLongBits(b.get(i)[1]),
                    "loss at step " + (int) a.get(i)[0] + ": " + a.get(i)[1] + " vs " + b.get(i)[1]);
        }
        assertTrue(whole.trainLosses().get(19)[1] < whole.trainLosses().get(0)[1], "training lowers the loss");
        assertEquals(whole.evaluations().get(whole.evaluations().size() - 1),
                second.evaluations().get(second.evaluations().size() - 1), "the evaluation draws the same batches");
    }

    private static Rng rng(boolean pytorch, long seed) {
        return pytorch ? Rng.pytorch(seed) : new Rng(seed);
    }

    @Test
    void resumingWithTheOtherGeneratorSaysSo(@TempDir Path dir) throws Exception {
        TextDataset data = TextDataset.fromText("test", TEXT);
        new GptTrainer(new Gpt(modelConfig(data), Rng.pytorch(1)), data, trainConfig(5), dir).train();
        GptTrainer other = new GptTrainer(new Gpt(modelConfig(data), new Rng(1)), data, trainConfig(10), dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, other::resume);
        assertTrue(e.getMessage().contains("another --rng") && e.getMessage().contains("PyTorch generator's"),
                e.getMessage());
    }

    @Test
    void nonFiniteLossStopsWithTheStepAndKeepsTheLastCheckpoint(@TempDir Path dir) throws Exception {
        TextDataset data = TextDataset.fromText("test", TEXT);
        Gpt gpt = new Gpt(modelConfig(data), new Rng(1));
        // Poison one weight after the first checkpoint: the loss becomes NaN at the next step.
        GptTrainer trainer = new GptTrainer(gpt, data, trainConfig(1), dir);
        trainer.train();
        Path ckpt = dir.resolve(GptTrainer.CHECKPOINT);
        byte[] before = Files.readAllBytes(ckpt);
        gpt.namedParameters().get("transformer.wte.weight").value().fill(Float.NaN);
        GptTrainer again = new GptTrainer(gpt, data, trainConfig(3), dir);
        Gradients.NonFiniteException e = assertThrows(Gradients.NonFiniteException.class, again::train);
        assertTrue(e.getMessage().startsWith("step 0"), e.getMessage());
        assertEquals(before.length, Files.readAllBytes(ckpt).length);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(ckpt)), "the last good checkpoint is untouched");
    }

    @Test
    void badSettingsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GptTrainer.Config(10, 4, -1e-3, 0, 0, 10, 0.9, 0.99, 0.1, 1, 5, 2, 1, false));
        assertTrue(e.getMessage().contains("-0.001"), e.getMessage());
        TextDataset data = TextDataset.fromText("test", TEXT);
        Gpt big = new Gpt(new Gpt.Config(data.tokenizer().vocabSize() + 1, 8, 1, 1, 8, 0f, true), new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> new GptTrainer(big, data, trainConfig(1), Path.of("unused")));
    }
}
