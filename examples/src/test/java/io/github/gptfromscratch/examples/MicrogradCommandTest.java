package io.github.gptfromscratch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class MicrogradCommandTest {

    /** What a command printed and returned. */
    private record Run(int exitCode, String out, String err) {
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

    @Test
    void trains_to_full_accuracy_and_writes_plots_and_metrics(@TempDir Path tmp) throws IOException {
        Path outDir = tmp.resolve("plots");
        Path metrics = tmp.resolve("results/metrics.json");
        Run result = run("micrograd", "--seed", "1337", "--out", outDir.toString(), "--metrics", metrics.toString());

        assertEquals(0, result.exitCode(), "seed 1337; stderr: " + result.err());
        assertTrue(result.out().contains("step  99  loss "), result.out());

        String json = Files.readString(metrics);
        assertEquals("MLP(2, [16, 16, 1])", jsonField(json, "model").replace("\"", ""));
        assertEquals(337, Integer.parseInt(jsonField(json, "params")));
        assertEquals(100, Integer.parseInt(jsonField(json, "steps")));
        assertEquals(1.0, Double.parseDouble(jsonField(json, "accuracy")), 0.0, "seed 1337: " + json);
        double finalLoss = Double.parseDouble(jsonField(json, "final_loss"));
        assertTrue(finalLoss > 0 && finalLoss < 0.05, "seed 1337: final loss " + finalLoss);
        assertTrue(Double.parseDouble(jsonField(json, "wall_time_s")) > 0, json);

        assertImage(outDir.resolve("decision_boundary.png"));
        assertImage(outDir.resolve("loss.png"));
    }

    private static void assertImage(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " missing");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a readable image");
        assertTrue(image.getWidth() >= 600 && image.getHeight() >= 400,
                file + " is " + image.getWidth() + "x" + image.getHeight());
        // a real plot has many colours; a blank or failed drawing has one or two
        assertTrue(distinctColours(image) > 50, file + " looks blank");
    }

    private static long distinctColours(BufferedImage image) {
        return IntStream.range(0, image.getHeight())
                .flatMap(y -> IntStream.range(0, image.getWidth()).map(x -> image.getRGB(x, y)))
                .distinct()
                .count();
    }

    private static String jsonField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"[^\"]*\"|[^,}\\s]+)").matcher(json);
        assertTrue(m.find(), "no field " + name + " in " + json);
        return m.group(1);
    }

    @ParameterizedTest
    @CsvSource({"--steps, -1", "--steps, 0", "--samples, 1", "--noise, -0.5", "--noise, NaN"})
    void bad_option_is_a_usage_error_naming_option_and_value(String option, String value, @TempDir Path tmp) {
        Run result = run("micrograd", option, value, "--out", tmp.toString());

        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains(option) && result.err().contains("'" + value + "'"), result.err());
        assertTrue(result.out().isEmpty(), "nothing should run: " + result.out());
    }
}
