package io.github.gptfromscratch.benchmarks;

import dev.ludovic.netlib.blas.NativeBLAS;
import io.github.gptfromscratch.tensor.Parallel;
import io.github.gptfromscratch.tensor.internal.kernels.Gemm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The row-major float32 products C = A·B (A m×k, B k×n, all contiguous) that the matmul benchmarks
 * compare, each made ready for a number of threads by {@link #prepare(int)}.
 */
enum MatmulImpl {

    /** This library's packed, register-tiled kernel ({@link Gemm}). */
    GPTFS {
        @Override
        void prepare(int threads) {
            Parallel.setThreads(threads);
        }

        @Override
        void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
            Gemm.sgemm(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n, false);
        }
    },

    /**
     * OpenBLAS's sgemm through netlib-java's JNI binding. BLAS is column-major: a row-major matrix is its
     * transpose, so row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ, an "N","N" call with the operands swapped.
     */
    OPENBLAS {
        @Override
        void prepare(int threads) {
            String env = System.getenv(OPENBLAS_THREADS_ENV);
            if (!String.valueOf(threads).equals(env)) {
                throw new IllegalStateException("impl=openblas threads=" + threads + " needs " + OPENBLAS_THREADS_ENV
                        + "=" + threads + " in the environment of the JMH command (the forks inherit it), found "
                        + env + "; run each thread count separately, see docs/perf/matmul.md");
            }
            String path = System.getProperty(NATIVE_LIB_PROPERTY);
            if (path == null || !path.contains("openblas") || !Files.isRegularFile(Path.of(path))) {
                throw new IllegalStateException("impl=openblas needs -D" + NATIVE_LIB_PROPERTY
                        + "=<OpenBLAS libblas.so.3> (scripts/install-openblas.sh prints it), found " + path);
            }
            // getInstance() throws when the native library cannot be loaded: no silent fallback to Java.
            NativeBLAS blas = NativeBLAS.getInstance();
            if (!blas.getClass().getSimpleName().equals("JNIBLAS")) {
                throw new IllegalStateException("impl=openblas: expected netlib's JNIBLAS, got " + blas.getClass());
            }
            Parallel.setThreads(1);
        }

        @Override
        void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
            NativeBLAS.getInstance().sgemm("N", "N", n, m, k, 1f, b, n, a, k, 0f, c, n);
        }
    },

    /** The textbook i-k-j loop, its rows split across threads. */
    NAIVE {
        @Override
        void prepare(int threads) {
            Parallel.setThreads(threads);
        }

        @Override
        void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
            Parallel.forRange(m, 2L * n * k, (start, end) -> {
                for (int i = start; i < end; i++) {
                    int cRow = i * n;
                    java.util.Arrays.fill(c, cRow, cRow + n, 0f);
                    for (int p = 0; p < k; p++) {
                        float aip = a[i * k + p];
                        int bRow = p * n;
                        for (int j = 0; j < n; j++) {
                            c[cRow + j] += aip * b[bRow + j];
                        }
                    }
                }
            });
        }
    };

    /** OpenBLAS (the pthread build) reads its thread count from this variable once, when it loads. */
    static final String OPENBLAS_THREADS_ENV = "OPENBLAS_NUM_THREADS";

    /** netlib-java loads the native BLAS from this path, instead of whatever libblas.so.3 resolves to. */
    static final String NATIVE_LIB_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";

    /** Makes this implementation use {@code threads} threads, or fails saying why it cannot. */
    abstract void prepare(int threads);

    /** C = A·B for row-major contiguous A (m×k), B (k×n) and C (m×n). */
    abstract void multiply(int m, int n, int k, float[] a, float[] b, float[] c);

    /** The implementation named by a benchmark parameter: {@code gptfs}, {@code openblas} or {@code naive}. */
    static MatmulImpl named(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
