package io.github.gptfromscratch.tensor.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Maven runs the suite twice; this pins which kernels each run really exercised. */
final class KernelPathTest {

    @Test
    void theRequestedKernelPathIsActive() {
        // The default surefire execution adds the vector module; the second one sets gptfs.vector=false.
        boolean scalarRequested = "false".equalsIgnoreCase(System.getProperty("gptfs.vector"));
        assertEquals(!scalarRequested, KernelProvider.vectorized(),
                "gptfs.vector=" + System.getProperty("gptfs.vector") + " but kernels are " + Kernels.get().name());
        assertEquals(KernelProvider.vectorized(), Kernels.get().vectorized());
    }

    @Test
    void theTrapLimitIsAskedForOnlyBeforeJdk25AndOnlyWhenBelowTheAdvisedValue() {
        String advice = KernelProvider.trapLimitAdvice(17, () -> 100).orElseThrow();
        assertTrue(advice.contains("-XX:PerMethodTrapLimit=10000") && advice.contains("(now 100)"), advice);
        assertTrue(KernelProvider.trapLimitAdvice(21, () -> 9_999).isPresent());
        assertTrue(KernelProvider.trapLimitAdvice(17, () -> 10_000).isEmpty());
        assertTrue(KernelProvider.trapLimitAdvice(25, () -> 100).isEmpty());
    }
}
