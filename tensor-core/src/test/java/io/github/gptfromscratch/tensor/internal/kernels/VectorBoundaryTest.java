package io.github.gptfromscratch.tensor.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guards the rule in {@code PanamaKernels.unary}'s documentation: no method of ours takes or returns a
 * vector, because a vector that crosses a call C2 chose not to inline is boxed, and whether C2 inlines
 * depends on the order in which methods got hot (the GPT's GELU ran several times slower in training
 * than in a micro-benchmark because of such a helper).
 */
final class VectorBoundaryTest {

    @Test
    void noKernelMethodTakesOrReturnsAVector() throws ClassNotFoundException {
        assumeTrue(KernelProvider.vectorized(), "the Vector API is not loaded in this run");
        List<String> offenders = new ArrayList<>();
        for (String name : List.of("PanamaKernels", "PanamaGemmKernel4x2", "PanamaGemmKernel6x2",
                "PanamaGemmKernel6x4", "PanamaGemmKernel8x2", "PanamaGemmKernels", "PeakFlops")) {
            for (Method m : Class.forName(getClass().getPackageName() + "." + name).getDeclaredMethods()) {
                boolean vectorTyped = isVector(m.getReturnType());
                for (Class<?> p : m.getParameterTypes()) {
                    vectorTyped |= isVector(p);
                }
                if (vectorTyped) {
                    offenders.add(name + "." + m.getName());
                }
            }
        }
        assertTrue(offenders.isEmpty(), "methods that pass vectors across a call: " + offenders);
    }

    private static boolean isVector(Class<?> type) {
        return type.getName().startsWith("jdk.incubator.vector.");
    }
}
