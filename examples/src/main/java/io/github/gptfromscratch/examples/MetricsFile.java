package io.github.gptfromscratch.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a training run as a flat JSON object: {@code model}, {@code parameters}, {@code steps},
 * {@code train_loss}, {@code val_loss}, {@code test_loss} (each only when defined), {@code wall_time_s},
 * then any extra fields in insertion order.
 *
 * <pre>{@code
 * MetricsFile.write(path, new MetricsFile.Metrics("mlp", 11_897, 200_000, 2.12, 2.17, null, 812.4,
 *         Map.of("steps_per_s", 246.0)));   // with several entries, a LinkedHashMap keeps their order
 * }</pre>
 */
public final class MetricsFile {

    private MetricsFile() {
    }

    /**
     * What one run measured.
     *
     * @param model      the model's name
     * @param parameters trainable scalars
     * @param steps      optimisation steps taken (0 for a counting model)
     * @param trainLoss  mean loss on the training split, or null
     * @param valLoss    mean loss on the validation split, or null
     * @param testLoss   mean loss on the test split, or null
     * @param wallTimeS  seconds from the start of training to the end of evaluation
     * @param extra      further fields (numbers, strings, booleans), written after the standard ones
     */
    public record Metrics(String model, long parameters, long steps, Double trainLoss, Double valLoss,
                          Double testLoss, double wallTimeS, Map<String, Object> extra) {

        /** Copies {@code extra} so the record stays unchanged. */
        public Metrics {
            extra = new LinkedHashMap<>(extra);
        }
    }

    /** The JSON text of {@code metrics}. */
    public static String toJson(Metrics metrics) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("model", metrics.model());
        fields.put("parameters", metrics.parameters());
        fields.put("steps", metrics.steps());
        putIfDefined(fields, "train_loss", metrics.trainLoss());
        putIfDefined(fields, "val_loss", metrics.valLoss());
        putIfDefined(fields, "test_loss", metrics.testLoss());
        fields.put("wall_time_s", metrics.wallTimeS());
        metrics.extra().forEach(fields::putIfAbsent);
        StringBuilder json = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            json.append("  ").append(quote(e.getKey())).append(": ").append(value(e.getKey(), e.getValue()));
            json.append(++i < fields.size() ? ",\n" : "\n");
        }
        return json.append("}\n").toString();
    }

    /** Writes the JSON to {@code file}, creating its folder. */
    public static void write(Path file, Metrics metrics) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(metrics), StandardCharsets.UTF_8);
    }

    private static void putIfDefined(Map<String, Object> fields, String name, Double value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private static String value(String name, Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                // JSON has no NaN or infinity; a diverged run says so instead of writing invalid JSON.
                return quote(Double.toString(d));
            }
            return String.format(Locale.ROOT, "%.6f", d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof String s) {
            return quote(s);
        }
        throw new IllegalArgumentException("MetricsFile: field '" + name + "' has unsupported type "
                + (v == null ? "null" : v.getClass().getName()));
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
