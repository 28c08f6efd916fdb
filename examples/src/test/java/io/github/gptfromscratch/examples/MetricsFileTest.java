package io.github.gptfromscratch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsFileTest {

    @Test
    void writesStandardFieldsInOrderAndOmitsUndefinedLosses() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("all_loss", 2.454577);
        extra.put("note", "a \"quoted\"\nline");
        String json = MetricsFile.toJson(new MetricsFile.Metrics("bigram", 0, 0, 2.45, 2.46, null, 0.5, extra));
        assertEquals("""
                {
                  "model": "bigram",
                  "parameters": 0,
                  "steps": 0,
                  "train_loss": 2.450000,
                  "val_loss": 2.460000,
                  "wall_time_s": 0.500000,
                  "all_loss": 2.454577,
                  "note": "a \\"quoted\\"\\nline"
                }
                """, json);
        assertFalse(json.contains("test_loss"));
    }

    @Test
    void nonFiniteLossesStayValidJsonAndUnknownTypesAreRejected() {
        String json = MetricsFile.toJson(new MetricsFile.Metrics("mlp", 1, 1, Double.NaN, null, null, 1, Map.of()));
        assertTrue(json.contains("\"train_loss\": \"NaN\""), json);
        assertThrows(IllegalArgumentException.class, () -> MetricsFile.toJson(
                new MetricsFile.Metrics("mlp", 1, 1, null, null, null, 1, Map.of("bad", List.of(1)))));
    }
}
