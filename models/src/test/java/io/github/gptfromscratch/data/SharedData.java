package io.github.gptfromscratch.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The reference data files beside the checkout ({@code ../shared/data}). */
final class SharedData {

    private SharedData() {
    }

    /** A file in the shared data folder; the parent POM points {@code gptfs.shared.dir} at it for surefire. */
    static Path file(String name) {
        String dir = System.getProperty("gptfs.shared.dir");
        Path shared = dir != null ? Path.of(dir) : Path.of("..", "..", "shared");
        Path file = shared.resolve("data").resolve(name);
        assertTrue(Files.isRegularFile(file), "reference data file missing: " + file.toAbsolutePath());
        return file;
    }
}
