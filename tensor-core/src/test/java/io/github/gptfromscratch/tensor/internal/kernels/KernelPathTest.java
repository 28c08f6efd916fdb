package io.github.gptfromscratch.tensor.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
