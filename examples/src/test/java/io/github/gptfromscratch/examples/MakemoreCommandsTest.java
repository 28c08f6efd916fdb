package io.github.gptfromscratch.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.data.DataCache;
import io.github.gptfromscratch.tensor.io.SafeTensorFile;
import io.github.gptfromscratch.tensor.io.SafeTensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The makemore commands in-process on the real names.txt with tiny settings. */
class MakemoreCommandsTest {

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void useSharedDataCache() {
        // The shared folder holds names.txt under the cache's own file name, so nothing is downloaded.
        Path data = Path.of(System.getProperty("gptfs.shared.dir", "../../shared"), "data");
        assertTrue(Files.isRegularFile(data.resolve("names.txt")), "missing " + data.resolve("names.txt"));
        System.setProperty(DataCache.DIRECTORY_PROPERTY, data.toString());
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": ([0-9.eE+-]+)").matcher(json);
        assertTrue(m.find(), "no numeric '" + field + "' in " + json);
        return Double.parseDouble(m.group(1));
    }

    private static void assertPng(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "missing " + file);
        assertNotNull(ImageIO.read(file.toFile()), file + " is not a readable image");
    }

    /** Samples are the lines after "N sampled names:"; each must be a lowercase name. */
    private static void assertSamples(String out, int count) {
        samples(out, count);
    }

    /** The {@code count} sampled names printed in {@code out}, each checked to be a name. */
    private static List<String> samples(String out, int count) {
        int at = out.indexOf(count + " sampled names:");
        assertTrue(at >= 0, out);
        String[] lines = out.substring(at).split("\\R");
        for (int i = 1; i <= count; i++) {
            assertTrue(lines[i].matches("[a-z]{0,50}"), "sample '" + lines[i] + "' in\n" + out);
        }
        return List.of(lines).subList(1, count + 1);
    }

    @Test
    void bigramCountsReproduceTheLectureNllAndDrawTheHeatMap(@TempDir Path tmp) throws IOException {
        Path metrics = tmp.resolve("m.json");
        Run r = run("bigram", "--out", tmp.toString(), "--metrics", metrics.toString(), "--sample", "5");
        assertEquals(0, r.exitCode(), r.err());
        String json = Files.readString(metrics);
        assertEquals(2.4546, number(json, "all_loss"), 1e-4);
        assertTrue(number(json, "val_loss") < 2.47, json);
        assertPng(tmp.resolve(BigramCommand.HEATMAP));
        assertSamples(r.out(), 5);
        // PyTorch's generator with the lecture's seed: the notebook's own first names (part 1, cell 24).
        assertTrue(r.out().contains("5 sampled names:\nmor\naxx\nminaymoryles\nkondlaisah\nanchshizarie\n"), r.out());

        Run again = run("bigram", "--out", tmp.toString(), "--sample-only", "--sample", "3");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(List.of("mor", "axx", "minaymoryles"), samples(again.out(), 3));
    }

    @Test
    void aCheckpointWithABadSampleSeedIsAClearErrorAndStaysAsItWas(@TempDir Path tmp) throws IOException {
        assertEquals(0, run("bigram", "--out", tmp.toString(), "--sample", "1").exitCode());
        Path file = tmp.resolve(NameModelRun.CHECKPOINT);
        SafeTensorFile written = SafeTensors.read(file);
        Map<String, String> metadata = new HashMap<>(written.metadata());
        metadata.put("sample_seed", "seven");
        SafeTensors.write(file, written.floatTensors(), Map.of(), metadata);
        byte[] before = Files.readAllBytes(file);

        Run r = run("bigram", "--out", tmp.toString(), "--sample-only");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.err().contains("sample_seed 'seven', not a whole number"), r.err());
        assertEquals(0, run("bigram", "--out", tmp.toString(), "--sample-only", "--seed", "3").exitCode(),
                "--seed overrides the stored one");
        assertArrayEquals(before, Files.readAllBytes(file), "sampling leaves the checkpoint as it was");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "neural-bigram, neural-bigram, 30, 2.9",
            "mlp,           mlp,           300, 12",
            "mlp --batchnorm, mlp-batchnorm, 300, 2.9",
            "wavenet,       wavenet,       300, 2.9",
            "mlp --rng splitmix, mlp,      300, 12",
    })
    void trainsEvaluatesCheckpointsAndSamplesFromTheCheckpoint(String command, String model, int steps,
                                                               double maxVal, @TempDir Path tmp) throws IOException {
        Path metrics = tmp.resolve("metrics.json");
        String[] head = command.split(" ");
        String[] args = concat(head, "--steps", Integer.toString(steps), "--seed", "7", "--out", tmp.toString(),
                "--metrics", metrics.toString(), "--sample", "4");
        Run r = run(args);
        assertEquals(0, r.exitCode(), "seed 7: " + r.err());
        String json = Files.readString(metrics);
        assertTrue(json.contains("\"model\": \"" + model + "\""), json);
        assertEquals(steps, number(json, "steps"), 0.0);
        double val = number(json, "val_loss");
        // Bounds sit well below the loss at initialisation: ln 27 = 3.30 for the scaled inits, about 20
        // for part 2's plain N(0, 1) MLP, whose first few hundred steps mostly shrink its huge logits.
        assertTrue(val < maxVal, "seed 7: val loss " + val + "\n" + json);
        assertTrue(number(json, "train_loss") > 0 && number(json, "test_loss") > 0, json);
        assertTrue(number(json, "wall_time_s") > 0, json);
        assertTrue(Files.isRegularFile(tmp.resolve(NameModelRun.CHECKPOINT)));
        assertPng(tmp.resolve(NameModelRun.LOSS_PLOT));
        assertSamples(r.out(), 4);

        // Without --seed or --rng, the checkpoint's: the names the end of training drew.
        String[] modelOptions = String.join(" ", head).replace(" --rng splitmix", "").split(" ");
        Run sampled = run(concat(modelOptions, "--out", tmp.toString(), "--sample-only", "--sample", "3"));
        assertEquals(0, sampled.exitCode(), sampled.err());
        assertTrue(sampled.out().contains("loaded " + model), sampled.out());
        assertEquals(samples(r.out(), 4).subList(0, 3), samples(sampled.out(), 3), sampled.out());
    }

    @Test
    void transformerTrainsOnWholeWordsWithMakemoresSplitAndSamplesFromItsBestCheckpoint(@TempDir Path tmp)
            throws IOException {
        Path metrics = tmp.resolve("metrics.json");
        Run r = run("transformer", "--steps", "300", "--eval-interval", "100", "--seed", "7", "--out", tmp.toString(),
                "--metrics", metrics.toString(), "--sample", "4");
        assertEquals(0, r.exitCode(), "seed 7: " + r.err());
        assertTrue(r.out().contains("31033 train / 1000 test words"), r.out());
        String json = Files.readString(metrics);
        assertTrue(json.contains("\"model\": \"transformer\""), json);
        // makemore.py's default model at vocab 27, context 16: 202,816 + a 1,728-weight LM head
        assertEquals(204_544, number(json, "parameters"), 0.0);
        assertEquals(16, number(json, "block_size"), 0.0);
        assertTrue(!json.contains("\"val_loss\""), "makemore.py's split has no validation set: " + json);
        double test = number(json, "test_loss");
        assertTrue(test < 2.9, "seed 7: test loss " + test + " (ln 27 = 3.30 at initialisation)\n" + json);
        assertTrue(number(json, "best_test_loss") <= test, json);
        assertTrue(number(json, "train_loss") > 0, json);
        assertTrue(Files.isRegularFile(tmp.resolve(TransformerCommand.CHECKPOINT)));
        assertPng(tmp.resolve(NameModelRun.LOSS_PLOT));
        assertSamples(r.out(), 4);

        Run sampled = run("transformer", "--out", tmp.toString(), "--sample-only", "--sample", "3");
        assertEquals(0, sampled.exitCode(), sampled.err());
        assertTrue(sampled.out().contains("loaded the transformer"), sampled.out());
        assertEquals(samples(r.out(), 4).subList(0, 3), samples(sampled.out(), 3), sampled.out());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "mlp,           --steps,      0",
            "mlp,           --batch-size, -3",
            "mlp,           --lr,         0.0",
            "wavenet,       --lr,         NaN",
            "wavenet,       --context,    6",
            "mlp,           --hidden,     0",
            "bigram,        --sample,     -1",
            "bigram,        --smoothing,  -1.5",
            "neural-bigram, --data,       /no/such/names.txt",
            "transformer,   --n-head,     3",
            "transformer,   --eval-interval, 0",
            "mlp,           --rng,        mt19937",
    })
    void invalidOptionsAreUsageErrorsNamingTheValue(String command, String option, String value, @TempDir Path tmp) {
        Run r = run(command, option, value, "--out", tmp.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("'" + value + "'") && r.err().contains(option), r.err());
    }

    @Test
    void sampleOnlyWithoutACheckpointFailsWithAClearMessage(@TempDir Path tmp) {
        Run r = run("mlp", "--out", tmp.resolve("empty").toString(), "--sample-only");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no checkpoint at"), r.err());
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
