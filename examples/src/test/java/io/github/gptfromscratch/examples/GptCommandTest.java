package io.github.gptfromscratch.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptCommandTest {

    private static final String TEXT = "ROMEO:\nBut soft, what light through yonder window breaks?\n".repeat(60);

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainsWritesCheckpointCurveMetricsAndSamples(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("tiny.txt");
        Files.writeString(text, TEXT);
        Path out = dir.resolve("run");
        Path metrics = dir.resolve("m.json");
        Run r = run("gpt", "--data", text.toString(), "--out", out.toString(), "--n-layer", "1", "--n-head", "2",
                "--n-embd", "16", "--block-size", "16", "--batch-size", "4", "--max-iters", "30", "--eval-interval", "10",
                "--eval-iters", "2", "--warmup-iters", "5", "--sample-tokens", "50", "--metrics", metrics.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(out.resolve("ckpt.safetensors")) > 0);
        assertTrue(Files.size(out.resolve("loss.png")) > 1000);
        assertTrue(Files.readString(out.resolve("sample.txt")).length() > 40);
        String json = Files.readString(metrics);
        assertTrue(json.contains("\"model\": \"gpt\"") && json.contains("\"val_loss\""), json);

        Run s = run("sample", "--checkpoint", out.toString(), "--prompt", "ROMEO:", "--tokens", "20", "--top-k", "5");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().startsWith("ROMEO:"), s.out());
        Run again = run("sample", "--checkpoint", out.toString(), "--prompt", "ROMEO:", "--tokens", "20", "--top-k", "5",
                "--no-cache");
        assertEquals(s.out(), again.out(), "cached and uncached sampling agree");
        Run defaults = run("sample", "--checkpoint", out.toString(), "--tokens", "50");
        assertEquals(Files.readString(out.resolve("sample.txt")) + System.lineSeparator(), defaults.out(),
                "sample with its defaults prints what the end of training printed (the same seed and generator)");
    }

    @Test
    void badOptionsExitWithCodeTwoAndNameTheProblem(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("tiny.txt");
        Files.writeString(text, TEXT);
        Run heads = run("gpt", "--data", text.toString(), "--n-head", "3", "--out", dir.resolve("x").toString());
        assertEquals(2, heads.code());
        assertTrue(heads.err().contains("n_head=3"), heads.err());
        Run missing = run("gpt", "--data", dir.resolve("nope.txt").toString(), "--out", dir.resolve("y").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.txt"), missing.err());
        Run steps = run("gpt", "--data", text.toString(), "--max-iters", "-5", "--out", dir.resolve("z").toString());
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("-5"), steps.err());
        Run gptRng = run("gpt", "--data", text.toString(), "--rng", "mt19937", "--out", dir.resolve("r").toString());
        Run sampleRng = run("sample", "--rng", "mt19937");
        for (Run bad : new Run[] {gptRng, sampleRng}) {
            assertEquals(2, bad.code(), bad.err());
            assertTrue(bad.err().contains("'mt19937' for option '--rng'"), bad.err());
        }
        Run unknown = run("gpt", "--no-such-option");
        assertEquals(2, unknown.code());
        Run noCkpt = run("sample", "--checkpoint", dir.resolve("none").toString());
        assertEquals(2, noCkpt.code());
        assertTrue(noCkpt.err().contains("none"), noCkpt.err());
    }

    @Test
    void aPromptOutsideTheVocabularyIsRejectedNamingTheCharacters(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("tiny.txt");
        Files.writeString(text, TEXT);
        Path out = dir.resolve("run");
        assertEquals(0, run("gpt", "--data", text.toString(), "--out", out.toString(), "--n-layer", "1", "--n-head", "1",
                "--n-embd", "8", "--block-size", "8", "--batch-size", "2", "--max-iters", "2", "--eval-interval", "1",
                "--eval-iters", "1", "--warmup-iters", "0", "--sample-tokens", "5").code());
        Run r = run("sample", "--checkpoint", out.toString(), "--prompt", "Zé", "--tokens", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'Z'") && r.err().contains("'é'"), r.err());
    }

    @Test
    void theCheckpointRemembersItsGeneratorForSampleAndResume(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("tiny.txt");
        Files.writeString(text, TEXT);
        Path out = dir.resolve("run");
        String[] tiny = {"--data", text.toString(), "--out", out.toString(), "--n-layer", "1", "--n-head", "1",
                "--n-embd", "8", "--block-size", "8", "--batch-size", "2", "--eval-interval", "2", "--eval-iters", "1",
                "--warmup-iters", "0", "--sample-tokens", "30", "--always-save", "--rng", "splitmix"};
        assertEquals(0, run(concat(new String[] {"gpt", "--max-iters", "4"}, tiny)).code());
        String sampled = Files.readString(out.resolve("sample.txt")) + System.lineSeparator();
        assertEquals(sampled, run("sample", "--checkpoint", out.toString(), "--tokens", "30").out(),
                "without --rng, sample uses the checkpoint's generator");
        assertTrue(!sampled.equals(run("sample", "--checkpoint", out.toString(), "--tokens", "30", "--rng", "pytorch").out()),
                "--rng pytorch samples from another generator");

        Run other = run("gpt", "--data", text.toString(), "--out", out.toString(), "--n-layer", "1", "--n-head", "1",
                "--n-embd", "8", "--block-size", "8", "--batch-size", "2", "--max-iters", "8", "--resume", "--rng", "pytorch");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("was trained with --rng splitmix and this run has --rng pytorch"), other.err());
        Run shorter = run("gpt", "--data", text.toString(), "--out", out.toString(), "--n-layer", "1", "--n-head", "1",
                "--n-embd", "8", "--block-size", "8", "--batch-size", "2", "--max-iters", "2", "--resume");
        assertEquals(2, shorter.code(), shorter.err());
        assertTrue(shorter.err().contains("--max-iters 2 is below the checkpoint's step 4"), shorter.err());
        Run resumed = run("gpt", "--data", text.toString(), "--out", out.toString(), "--n-layer", "1", "--n-head", "1",
                "--n-embd", "8", "--block-size", "8", "--batch-size", "2", "--max-iters", "6", "--resume",
                "--sample-tokens", "5");
        assertEquals(0, resumed.code(), "without --rng, resume uses the checkpoint's generator: " + resumed.err());
    }

    @Test
    void aFailureTheUserCanFixIsOneLineNamingItNotAStackTrace(@TempDir Path dir) throws Exception {
        Run missing = run("gpt", "--resume", "--out", dir.resolve("none").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("gptfs gpt: --resume: no checkpoint at " + dir.resolve("none")), missing.err());
        assertTrue(!missing.err().contains("\tat "), "no stack trace: " + missing.err());

        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("ckpt.safetensors"), "not a checkpoint");
        Run corrupt = run("sample", "--checkpoint", bad.toString());
        assertEquals(1, corrupt.code());
        assertTrue(corrupt.err().contains("gptfs sample: " + bad.resolve("ckpt.safetensors")), corrupt.err());
        assertTrue(!corrupt.err().contains("\tat "), "no stack trace: " + corrupt.err());
        assertEquals("not a checkpoint", Files.readString(bad.resolve("ckpt.safetensors")), "the file is left as it was");

        Run verbose = run("gpt", "--resume", "--out", dir.resolve("none").toString(), "--verbose");
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().contains("\tat "), "--verbose keeps the stack trace: " + verbose.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
