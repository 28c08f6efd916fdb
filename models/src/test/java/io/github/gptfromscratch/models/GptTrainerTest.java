package io.github.gptfromscratch.models;

import io.github.gptfromscratch.data.TextDataset;
import io.github.gptfromscratch.optim.Gradients;
import io.github.gptfromscratch.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        return trainConfig(maxIters, true);
    }

    private static GptTrainer.Config trainConfig(int maxIters, boolean alwaysSave) {
        // lr decay fixed at 20 steps so that a 10-step run and a 20-step run share the schedule.
        return new GptTrainer.Config(maxIters, 4, 3e-3, 3e-4, 3, 20, 0.9, 0.99, 0.1, 1.0, 5, 2, 5, alwaysSave);
    }

    @ParameterizedTest(name = "PyTorch''s generator: {0}, first run {1} steps, checkpoint at every evaluation: {2}")
    @CsvSource({"true, 10, true", "false, 10, true", "true, 7, false", "false, 7, false"})
    void resumeReproducesAnUninterruptedRunBitForBit(boolean pytorch, int firstSteps, boolean alwaysSave, @TempDir Path dir)
            throws Exception {
        TextDataset data = TextDataset.fromText("test", TEXT);
        // Dropout 0.1: its masks come from the same generator as the batches and evaluations.
        GptTrainer.Result whole = new GptTrainer(new Gpt(modelConfig(data), rng(pytorch, 1)), data, trainConfig(20),
                dir.resolve("whole")).train();

        // 7 steps: evaluations at 0, 5 and 7 (the last step), which the uninterrupted run does not make at 7;
        // saved only on improvement, the checkpoint is at 5 or at 7.
        new GptTrainer(new Gpt(modelConfig(data), rng(pytorch, 1)), data, trainConfig(firstSteps, alwaysSave),
                dir.resolve("split")).train();
        GptTrainer resumed = new GptTrainer(new Gpt(modelConfig(data), rng(pytorch, 999)), data, trainConfig(20),
                dir.resolve("split"));
        resumed.resume();
        int from = resumed.step();
        assertTrue(alwaysSave ? from == firstSteps : from == 5 || from == 7, "resumed at step " + from);
        GptTrainer.Result second = resumed.train();

        List<double[]> a = whole.trainLosses().subList(from, 20);
        List<double[]> b = second.trainLosses();
        assertEquals(20 - from, b.size());
        for (int i = 0; i < b.size(); i++) {
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
        assertTrue(e.getMessage().contains("was trained with --rng pytorch and this run has --rng splitmix"),
                e.getMessage());
    }

    @Test
    void resumingBeyondMaxItersSaysThereIsNothingToTrain(@TempDir Path dir) throws Exception {
        TextDataset data = TextDataset.fromText("test", TEXT);
        new GptTrainer(new Gpt(modelConfig(data), Rng.pytorch(1)), data, trainConfig(10), dir).train();
        GptTrainer shorter = new GptTrainer(new Gpt(modelConfig(data), Rng.pytorch(1)), data, trainConfig(5), dir);
        shorter.resume();
        byte[] before = Files.readAllBytes(dir.resolve(GptTrainer.CHECKPOINT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, shorter::train);
        assertTrue(e.getMessage().contains("step 10, beyond max_iters 5"), e.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve(GptTrainer.CHECKPOINT))));
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
