package io.github.gptfromscratch.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SafeTensors#write} replaces a file whole or not at all, and leaves no temporary files behind. */
class SafeTensorsAtomicWriteTest {

    private static final long SEED = 77L;

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void overwritingReplacesTheContentAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("model.safetensors");
        SafeTensors.write(path, Map.of("w", Tensor.ones(3)), Map.of(), Map.of("step", "1"));
        SafeTensors.write(path, Map.of("w", Tensor.full(2f, 4)), Map.of(), Map.of("step", "2"));
        SafeTensorFile f = SafeTensors.read(path);
        assertEquals("2", f.metadata().get("step"));
        assertArrayEquals(new float[] {2f, 2f, 2f, 2f}, f.floatTensor("w").toArray());
        assertEquals(List.of("model.safetensors"), listing(dir));
    }

    @Test
    void refusedContentLeavesTheOldFileUntouched(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("model.safetensors");
        SafeTensors.write(path, Map.of("w", Tensor.ones(3)), Map.of(), Map.of());
        byte[] before = Files.readAllBytes(path);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(path, Map.of("", Tensor.ones(1)), Map.of(), Map.of()));
        assertTrue(e.getMessage().startsWith("writing " + path + ": a tensor name is empty"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(path));
        assertEquals(List.of("model.safetensors"), listing(dir));
    }

    @Test
    void failedRenameRemovesTheTemporaryFile(@TempDir Path dir) throws IOException {
        // The target is a non-empty folder: the temporary file is written, but no rename can replace it.
        Path target = dir.resolve("model.safetensors");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "old");
        assertThrows(IOException.class, () -> SafeTensors.write(target, Map.of("w", Tensor.ones(1)), Map.of(),
                Map.of()));
        assertEquals(List.of("model.safetensors"), listing(dir), "no temporary file may remain");
        assertEquals("old", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void unwritableFolderLeavesTheOldFileUntouched(@TempDir Path dir) throws IOException {
        assumeFalse(System.getProperty("os.name").startsWith("Windows"), "POSIX permissions");
        Path folder = Files.createDirectory(dir.resolve("locked"));
        Path path = folder.resolve("model.safetensors");
        SafeTensors.write(path, Map.of("w", Tensor.ones(3)), Map.of(), Map.of());
        byte[] before = Files.readAllBytes(path);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(folder), "running as a user who may write anyway (root)");
            assertThrows(AccessDeniedException.class,
                    () -> SafeTensors.write(path, Map.of("w", Tensor.zeros(5)), Map.of(), Map.of()));
            assertArrayEquals(before, Files.readAllBytes(path));
            assertEquals(List.of("model.safetensors"), listing(folder));
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void concurrentReadersSeeTheOldOrTheNewFileNeverAMix(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("model.safetensors");
        Rng rng = new Rng(SEED);
        Tensor a = Tensor.randn(rng, 64, 64);
        Tensor b = Tensor.randn(rng, 32, 8);
        SafeTensors.write(path, Map.of("w", a), Map.of(), Map.of("version", "a"));

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try {
                while (writing.get() || reads.get() == 0) {
                    SafeTensorFile f = SafeTensors.read(path);
                    Tensor expected = f.metadata().get("version").equals("a") ? a : b;
                    assertArrayEquals(expected.toArray(), f.floatTensor("w").toArray(), "seed " + SEED);
                    reads.incrementAndGet();
                }
            } catch (Throwable t) {
                readerFailure.set(t);
            }
        });
        reader.start();
        for (int i = 0; i < 40; i++) {
            boolean even = i % 2 == 0;
            SafeTensors.write(path, Map.of("w", even ? b : a), Map.of(), Map.of("version", even ? "b" : "a"));
        }
        writing.set(false);
        reader.join(10_000);
        if (readerFailure.get() != null) {
            throw new AssertionError("a reader saw a partial file (seed " + SEED + ")", readerFailure.get());
        }
        assertTrue(reads.get() > 0);
        assertEquals(List.of("model.safetensors"), listing(dir));
    }
}
