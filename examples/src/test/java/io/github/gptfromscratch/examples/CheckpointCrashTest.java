package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.models.GptCheckpoints;
import io.github.gptfromscratch.models.GptTrainer;
import io.github.gptfromscratch.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training process killed at random moments while it writes checkpoints never leaves a broken one:
 * the latest checkpoint on disk always loads and training resumes from it.
 */
class CheckpointCrashTest {

    @Test
    void killedTrainingAlwaysLeavesALoadableCheckpoint(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "To be, or not to be, that is the question.\n".repeat(200));
        Path out = dir.resolve("run");
        long seed = 20261124L;
        Rng delays = new Rng(seed);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int kills = 0;
        for (int round = 0; round < 3; round++) {
            List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "gpt",
                    "--data", text.toString(), "--out", out.toString(), "--n-layer", "1", "--n-head", "2",
                    "--n-embd", "16", "--block-size", "8", "--batch-size", "4", "--max-iters", "1000000",
                    "--eval-interval", "1", "--eval-iters", "1", "--always-save", "--log-interval", "1000"));
            if (round > 0) {
                cmd.add("--resume");
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("log-" + round + ".txt").toFile()).start();
            Path ckpt = out.resolve(GptTrainer.CHECKPOINT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ckpt) && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(ckpt), "round " + round + ": no checkpoint appeared; log:\n"
                    + Files.readString(dir.resolve("log-" + round + ".txt")));
            Thread.sleep(200 + delays.nextInt(1500)); // lands anywhere in the write cycle; the delays come from the seed
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            kills++;
            GptCheckpoints.Loaded loaded = GptCheckpoints.load(ckpt);
            int step = Integer.parseInt(loaded.metadata().get("step"));
            assertTrue(step >= 0, "round " + round);
        }
        assertEquals(3, kills);
        // A last, clean resume for two more steps finishes normally from the surviving checkpoint.
        int step = Integer.parseInt(GptCheckpoints.load(out.resolve(GptTrainer.CHECKPOINT)).metadata().get("step"));
        int code = Main.run("gpt", "--data", text.toString(), "--out", out.toString(), "--n-layer", "1", "--n-head", "2",
                "--n-embd", "16", "--block-size", "8", "--batch-size", "4", "--max-iters", Integer.toString(step + 2),
                "--eval-interval", "1", "--eval-iters", "1", "--always-save", "--resume", "--sample-tokens", "5");
        assertEquals(0, code);
        assertEquals(step + 2, Integer.parseInt(GptCheckpoints.load(out.resolve(GptTrainer.CHECKPOINT)).metadata().get("step")));
    }

    /**
     * Interrupted and resumed in a fresh JVM, a run ends with the very checkpoint an uninterrupted run
     * writes, byte for byte. The resumed process runs its first steps interpreted where the
     * uninterrupted one ran compiled code, so this holds only if every kernel gives the same bits in
     * every JIT tier (the Vector API's own exp did not).
     */
    @Test
    void aRunResumedInANewProcessEndsWithTheSameCheckpointByteForByte(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "To be, or not to be, that is the question: whether 'tis nobler in the mind\n".repeat(300));
        Path whole = dir.resolve("whole");
        Path split = dir.resolve("split");
        runGpt(dir, text, whole, 120, false);
        runGpt(dir, text, split, 60, false);
        runGpt(dir, text, split, 120, true);
        byte[] expected = Files.readAllBytes(whole.resolve(GptTrainer.CHECKPOINT));
        byte[] actual = Files.readAllBytes(split.resolve(GptTrainer.CHECKPOINT));
        assertEquals(120, Integer.parseInt(GptCheckpoints.load(split.resolve(GptTrainer.CHECKPOINT)).metadata().get("step")));
        assertTrue(java.util.Arrays.equals(expected, actual), "the resumed run's checkpoint differs from the uninterrupted run's");
    }

    private static void runGpt(Path dir, Path text, Path out, int iters, boolean resume) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "gpt",
                "--data", text.toString(), "--out", out.toString(), "--n-layer", "2", "--n-head", "2",
                "--n-embd", "64", "--block-size", "32", "--batch-size", "8", "--max-iters", Integer.toString(iters),
                "--lr-decay-iters", "120", "--eval-interval", "60", "--eval-iters", "2", "--always-save",
                "--sample-tokens", "0"));
        if (resume) {
            cmd.add("--resume");
        }
        Path log = dir.resolve("log-" + out.getFileName() + "-" + iters + ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the run did not end");
        assertEquals(0, p.exitValue(), Files.readString(log));
    }

    @Test
    void runningOutOfHeapIsAClearErrorNotAStackTrace(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "To be, or not to be, that is the question.\n".repeat(200));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // 32 MiB of heap cannot hold a batch of 64 windows of 256 tokens through a 384-wide model
        Process p = new ProcessBuilder(java, "-Xmx32m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "gpt",
                "--data", text.toString(), "--out", dir.resolve("run").toString(), "--n-layer", "2", "--n-head", "6",
                "--n-embd", "384", "--block-size", "256", "--batch-size", "64", "--max-iters", "2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run did not end");
        String log = Files.readString(dir.resolve("log.txt"));
        assertEquals(1, p.exitValue(), log);
        assertTrue(log.contains("out of memory") && log.contains("GPTFS_JAVA_OPTS") && log.contains("--batch-size"), log);
        assertTrue(!log.contains("\tat "), "no stack trace:\n" + log);
    }
}
