package io.github.gptfromscratch.models;

import io.github.gptfromscratch.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the PyTorch-computed golden tensors live, and how closely we must match them. */
final class GoldenFiles {

    static final double TOLERANCE = 1e-4;

    private GoldenFiles() {
    }

    static Path path(String name) {
        String dir = System.getProperty("gptfs.shared.dir", "../../shared");
        Path p = Path.of(dir, "golden", name);
        assertTrue(Files.isRegularFile(p), "golden file missing: " + p.toAbsolutePath());
        return p;
    }

    /** ‖ours − golden‖ / ‖golden‖ < 1e-4, with the shapes equal. */
    static void assertClose(String what, Tensor golden, Tensor ours) {
        assertClose(what, golden, ours, TOLERANCE);
    }

    /** ‖ours − golden‖ / ‖golden‖ < {@code tolerance}, with the shapes equal. */
    static void assertClose(String what, Tensor golden, Tensor ours, double tolerance) {
        assertArrayEquals(golden.shape(), ours.shape(), what + ": shape");
        float[] g = golden.toArray();
        float[] o = ours.toArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < g.length; i++) {
            diff += (double) (g[i] - o[i]) * (g[i] - o[i]);
            norm += (double) g[i] * g[i];
        }
        double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
        assertTrue(rel < tolerance, what + ": relative error " + rel + " >= " + tolerance);
    }
}
