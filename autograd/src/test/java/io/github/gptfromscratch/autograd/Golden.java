package io.github.gptfromscratch.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.Tensor;
import io.github.gptfromscratch.tensor.io.SafeTensorFile;
import io.github.gptfromscratch.tensor.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads PyTorch-computed golden files and compares tensors with them. */
final class Golden {

    /** The README's bar: ‖ours − golden‖ / ‖golden‖ below this. */
    static final double TOLERANCE = 1e-4;

    private Golden() {
    }

    /** Reads {@code golden/<name>} from the shared folder (system property {@code gptfs.shared.dir}, else ../../shared). */
    static SafeTensorFile load(String name) throws IOException {
        String configured = System.getProperty("gptfs.shared.dir");
        Path shared = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        Path file = shared.resolve("golden").resolve(name);
        assertTrue(Files.isRegularFile(file), "golden file not found: " + file.toAbsolutePath()
                + " (set -Dgptfs.shared.dir to the folder that holds golden/)");
        return SafeTensors.read(file);
    }

    /** Every tensor whose name is not an input, expected output or gradient, as a parameter. */
    static Map<String, Var> parameters(SafeTensorFile file, String... except) throws IOException {
        Map<String, Var> params = new LinkedHashMap<>();
        outer:
        for (String name : file.names()) {
            if (name.startsWith("input.") || name.startsWith("expected.") || name.startsWith("grad.")
                    || name.startsWith("after_")) {
                continue;
            }
            for (String prefix : except) {
                if (name.contains(prefix)) {
                    continue outer;
                }
            }
            params.put(name, Var.parameter(file.floatTensor(name)));
        }
        return params;
    }

    /** Relative error ‖actual − expected‖ / ‖expected‖ in float64, after checking the shapes agree. */
    static double relativeError(String what, Tensor expected, Tensor actual) {
        assertNotNull(actual, what + ": no value computed");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = GradientCheck.toDoubles(expected);
        double[] a = GradientCheck.toDoubles(actual);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < e.length; i++) {
            diff += (a[i] - e[i]) * (a[i] - e[i]);
            norm += e[i] * e[i];
        }
        return Math.sqrt(diff) / Math.sqrt(norm);
    }

    /** Asserts {@code actual} matches the golden tensor {@code key} to {@link #TOLERANCE}. */
    static void assertMatches(SafeTensorFile file, String key, Tensor actual) throws IOException {
        double error = relativeError(key, file.floatTensor(key), actual);
        assertTrue(error < TOLERANCE, key + ": relative error " + error + " is not below " + TOLERANCE);
    }

    /** Asserts every parameter's gradient matches its {@code grad.<name>} and that the file has no other gradient. */
    static void assertGradients(SafeTensorFile file, Map<String, Var> params) throws IOException {
        int expected = 0;
        for (String name : file.names()) {
            if (name.startsWith("grad.")) {
                expected++;
                Var p = params.get(name.substring("grad.".length()));
                assertNotNull(p, name + " names no parameter of the rebuilt network");
                assertMatches(file, name, p.grad());
            }
        }
        assertTrue(expected == params.size(), "every parameter has a golden gradient: " + expected + " gradients for "
                + params.size() + " parameters");
    }
}
