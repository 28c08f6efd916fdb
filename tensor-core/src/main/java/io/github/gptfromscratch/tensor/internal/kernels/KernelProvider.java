package io.github.gptfromscratch.tensor.internal.kernels;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the kernel implementation once per JVM, as Lucene's {@code VectorizationProvider} does.
 *
 * <p>The Vector API path is used when the {@code jdk.incubator.vector} module is in the boot layer,
 * the CPU has at least 256-bit float vectors, and {@code -Dgptfs.vector=false} is not set. Otherwise
 * the scalar kernels run and one log line says why and how to enable the fast path.
 */
public final class KernelProvider {

    private static final Logger LOG = LoggerFactory.getLogger(KernelProvider.class);

    /** The name of the implementation class loaded reflectively, so its Vector API types stay unresolved on the scalar path. */
    private static final String PANAMA = "io.github.gptfromscratch.tensor.internal.kernels.PanamaKernels";

    static final Kernels KERNELS = choose();

    private KernelProvider() {
    }

    /** Whether the Vector API kernels are active. */
    public static boolean vectorized() {
        return KERNELS.vectorized();
    }

    /**
     * Loads the Vector API twin of a kernel family ({@code className} must have a public no-argument
     * constructor) when the vector path is active, otherwise returns {@code scalar}.
     */
    static <T> T select(String className, Class<T> type, T scalar) {
        if (!KERNELS.vectorized()) {
            return scalar;
        }
        try {
            return type.cast(Class.forName(className).getConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load " + className + " although the Vector API is active", e);
        }
    }

    private static Kernels choose() {
        if ("false".equalsIgnoreCase(System.getProperty("gptfs.vector"))) {
            LOG.info("gptfs: scalar kernels (forced by -Dgptfs.vector=false)");
            return new ScalarKernels();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.warn("gptfs: Vector API not available, using the slower scalar kernels; "
                    + "add the JVM flag --add-modules jdk.incubator.vector for the fast path");
            return new ScalarKernels();
        }
        try {
            Kernels vector = (Kernels) Class.forName(PANAMA).getConstructor().newInstance();
            LOG.debug("gptfs: {} kernels", vector.name());
            return vector;
        } catch (ReflectiveOperationException | LinkageError | UnsupportedOperationException e) {
            LOG.warn("gptfs: Vector API unusable on this CPU ({}), using the slower scalar kernels", e.getMessage());
            return new ScalarKernels();
        }
    }
}
