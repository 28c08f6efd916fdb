package io.github.gptfromscratch.tensor.internal.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Chooses the Vector API micro-kernel for {@link Gemm}. The tiles are rows × vectors of the preferred
 * species; which one is fastest depends on the register file and on the JDK's C2 (docs/perf/matmul.md):
 * with AVX-512's 32 registers 6×4 (and 8×2 for narrow products); with AVX2's 16, 6×2 on JDK 21+ and
 * 4×2 on JDK 17, whose C2 spills the twelve accumulators of 6×2.
 */
public final class PanamaGemmKernels implements GemmMicroKernel.Chooser {

    /** Loaded reflectively by {@link KernelProvider#select}. */
    public PanamaGemmKernels() {
    }

    @Override
    public GemmMicroKernel choose(String tile) {
        String chosen = tile != null ? tile : defaultTile();
        return switch (chosen) {
            case "4x2" -> new PanamaGemmKernel4x2();
            case "6x2" -> new PanamaGemmKernel6x2();
            case "6x4" -> new PanamaGemmKernel6x4();
            case "8x2" -> new PanamaGemmKernel8x2();
            default -> throw new IllegalArgumentException("gptfs.gemm.tile: '" + chosen
                    + "' is not one of 4x2, 6x2, 6x4, 8x2 (rows x vectors)");
        };
    }

    /**
     * Beside a tile of four vectors, a two-vector one: 8×2 with AVX-512's 32 registers (eight rows divide
     * a batch of 32 exactly; the makemore MLP's step took 11% less time than with 6×2), else 6×2. The
     * two-vector tiles are already narrow.
     */
    @Override
    public GemmMicroKernel narrowFor(GemmMicroKernel wide) {
        if (wide.cols() < 4 * FloatVector.SPECIES_PREFERRED.length()) {
            return wide;
        }
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? new PanamaGemmKernel8x2() : new PanamaGemmKernel6x2();
    }

    private static String defaultTile() {
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512) {
            return "6x4";
        }
        return Runtime.version().feature() >= 21 ? "6x2" : "4x2";
    }
}
