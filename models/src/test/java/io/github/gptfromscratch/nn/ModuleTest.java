package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.models.Gpt;
import io.github.gptfromscratch.tensor.Parallel;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {

    @Test
    void loadStateDictReportsEveryMismatchAtOnceAndChangesNothing() {
        Gpt gpt = new Gpt(new Gpt.Config(10, 8, 1, 2, 8, 0f, true), new Rng(1));
        Map<String, Tensor> state = new LinkedHashMap<>();
        gpt.stateDict().forEach((name, t) -> state.put(name, t.copy().add(1f)));
        state.remove("transformer.ln_f.bias");                                   // missing
        state.put("lm_head.weight", Tensor.zeros(10, 8));                        // unexpected
        state.put("transformer.wpe.weight", Tensor.zeros(9, 8));                 // wrong shape
        Tensor before = gpt.stateDict().get("transformer.wte.weight").copy();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gpt.loadStateDict(state));
        String m = e.getMessage();
        assertTrue(m.contains("3 mismatch"), m);
        assertTrue(m.contains("missing: transformer.ln_f.bias"), m);
        assertTrue(m.contains("unexpected: lm_head.weight"), m);
        assertTrue(m.contains("wrong shape: transformer.wpe.weight is [9, 8], expected [8, 8]"), m);
        assertEquals(0f, gpt.stateDict().get("transformer.wte.weight").sub(before).abs().max().item(),
                "a rejected state dict changes no weight");
    }

    @Test
    void manyModelsShareOneBoundedPool() throws Exception {
        for (int i = 0; i < 20; i++) {
            Gpt gpt = new Gpt(new Gpt.Config(10, 8, 1, 2, 8, 0f, true), new Rng(i));
            gpt.generate(new int[] {1}, 3, 1f, 0, new Rng(i), true);
            Tensor.randn(new Rng(i), 256, 256).matmul(Tensor.randn(new Rng(i + 1), 256, 256)); // large enough to fan out
        }
        Set<String> workers = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("gptfs-worker-")).collect(Collectors.toSet());
        assertTrue(workers.size() <= Parallel.poolThreads(), "worker threads " + workers + " exceed the pool size "
                + Parallel.poolThreads());
    }
}
