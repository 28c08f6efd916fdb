package io.github.gptfromscratch.tensor.internal.kernels;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the kernel implementation once per JVM, as Lucene's {@code VectorizationProvider} does.
 *
 * <p>The Vector API path is used when the {@code jdk.incubator.vector} module is in the boot layer,
 * the CPU has at least 256-bit float vectors, and {@code -Dgptfs.vector=false} is not set. Otherwise
 * the scalar kernels run and one log line says why and how to enable the fast path. On the vector path
 * before JDK 25 one line also asks for {@code -XX:PerMethodTrapLimit=10000} when it is missing.
 */
public final class KernelProvider {

    private static final Logger LOG = LoggerFactory.getLogger(KernelProvider.class);

    /** The name of the implementation class loaded reflectively, so its Vector API types stay unresolved on the scalar path. */
    private static final String PANAMA = "io.github.gptfromscratch.tensor.internal.kernels.PanamaKernels";

    /** The trap limit under which JDK 17's C2 was seen to box vectors in the GELU loops after warm-up. */
    static final long ADVISED_TRAP_LIMIT = 10_000;

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
            trapLimitAdvice(Runtime.version().feature(), KernelProvider::trapLimit).ifPresent(LOG::info);
            return vector;
        } catch (ReflectiveOperationException | LinkageError | UnsupportedOperationException e) {
            LOG.warn("gptfs: Vector API unusable on this CPU ({}), using the slower scalar kernels", e.getMessage());
            return new ScalarKernels();
        }
    }

    /**
     * The line to log when C2's per-method trap limit is below {@link #ADVISED_TRAP_LIMIT} on a JDK older
     * than 25. On JDK 17, training's warm-up uses up the default 100 traps of the GELU loops in most JVMs;
     * C2 then compiles them without speculation and boxes their vectors (3.9× the time per element and 6
     * bytes allocated per element, measured by {@code benchmarks/GeluAfterTraining}); JDK 25 does not.
     * JDKs 18 to 24 were not measured and get the advice too.
     */
    static Optional<String> trapLimitAdvice(int jdkFeature, LongSupplier trapLimitOfThisVm) {
        if (jdkFeature >= 25) {
            return Optional.empty(); // without reading the flag: that loads java.management for nothing
        }
        long trapLimit = trapLimitOfThisVm.getAsLong();
        if (trapLimit >= ADVISED_TRAP_LIMIT) {
            return Optional.empty();
        }
        return Optional.of("gptfs: on JDK " + jdkFeature + " add the JVM flag -XX:PerMethodTrapLimit="
                + ADVISED_TRAP_LIMIT + " (now " + trapLimit + "): without it the Vector API's GELU loops usually "
                + "box their vectors after a few hundred training steps and run several times slower");
    }

    /** HotSpot's PerMethodTrapLimit, or {@link Long#MAX_VALUE} (nothing to advise) on a JVM that has none. */
    private static long trapLimit() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Long.parseLong(hotspot.getVMOption("PerMethodTrapLimit").getValue());
        } catch (RuntimeException | LinkageError e) {
            return Long.MAX_VALUE;
        }
    }
}
