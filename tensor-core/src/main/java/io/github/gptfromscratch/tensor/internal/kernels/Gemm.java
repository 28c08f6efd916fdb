package io.github.gptfromscratch.tensor.internal.kernels;

import io.github.gptfromscratch.tensor.Parallel;

import java.util.Arrays;

/**
 * Single-precision matrix multiply over strided operands: C = A·B, or C += A·B.
 *
 * <p>A is m×k with element (i, p) at {@code a[aOff + i·aRowStride + p·aColStride]}; B is k×n likewise;
 * C is m×n with unit column stride, element (i, j) at {@code c[cOff + i·cRowStride + j]}. A transposed
 * operand is just another pair of strides: packing reads through them, so it costs no extra copy.
 *
 * <p>The scheme is GotoBLAS/BLIS: for each block of {@link #NC} columns and {@link #KC} rows of B, the block is
 * packed into {@link GemmMicroKernel#cols() NR}-wide micro-panels (shared by all threads, it lives in L3); each
 * thread then takes blocks of MC rows of A (they stay in L2) and runs the register-tiled micro-kernel over their
 * {@link GemmMicroKernel#rows() MR}-row slivers, one B micro-panel (in L1) at a time. With several threads and a C
 * at least as wide as it is tall, all of B is packed first, the threads sharing the work, and then each thread runs
 * the loops above over its own slab of C's row panels against that packed B. A tall C (three times as many rows as
 * columns or more) on one thread, or a tall row slab of one thread, packs all of B too and turns the loops around:
 * each block of C's rows goes through every k block while it stays in L2, rather than all of C once per k block.
 * Otherwise C is cut into one slab of whole tiles per thread, rows (or columns when C has few rows), each thread
 * packing what its slab needs; only a C too small to give each thread several tiles falls back to sharing one
 * packed B block at a time, threads taking contiguous ranges of C's row panels, or of its column panels when C has
 * few rows. A with a unit stride (row- or column-major, what a tensor's matmul almost always meets) is read in
 * place: the micro-kernel keeps one index per row of its sliver, and the hardware prefetchers follow those few
 * streams as well as a packed panel, so packing A only cost its copy (skipping it took 512³ from 0.92× to 1.00× of
 * OpenBLAS on the project's AVX-512 machine in the best of three same-JVM runs, 0.88–0.92× to 0.97–1.00× over all
 * three; docs/perf/matmul.md). Any other A, and the last sliver when fewer than MR rows remain, is packed into
 * MR-row micro-panels. Packing pads the operands with zeros to whole tiles, so the micro-kernel always computes
 * full tiles; a tile that sticks out of C is computed into a scratch tile, started from C's values like a whole
 * tile, and copied back. Likewise a row-major B is read in place when C has only a few row panels (only a ragged
 * last micro-panel is packed), and a column-major B is packed eight columns at a time along its contiguous side:
 * the small products of the makemore models spent as long packing as multiplying.
 *
 * <p>The micro-kernel is chosen once (see {@code PanamaGemmKernels}); {@code -Dgptfs.gemm.tile=4x2},
 * {@code 6x2}, {@code 6x4} or {@code 8x2} (rows × vectors) overrides the choice on the vector path, for
 * benchmarks. Beside it there may be a narrower one (8×32 beside 6×64 with AVX-512): a product whose C it covers
 * with fewer padded columns uses it instead. Small models are full of such products (27 classes, a
 * 30-wide input: half of a 64-wide tile would be zeros), and on them the wide tile does twice the work.
 *
 * <p>Each k block after the first adds to C, and edge tiles start from C as whole tiles do, so every
 * element of C on the packed path is one chain of multiply-adds over k in order, whatever the number of
 * threads, the tile or where its edges fall: results do not depend on {@link Parallel#threads()} or on
 * the micro-kernel a CPU picks (the small direct path and the scalar kernels sum in their own ways).
 */
public final class Gemm {

    /** Columns of B packed at a time: 2048×KC floats (at most 2 MiB), shared by the threads in L3. */
    static final int NC = 2048;

    /**
     * Below this many flops (about 100 µs on one core) a product runs on the calling thread. Splitting
     * it would save a few tens of µs at best, and the risk is larger: each split is two hand-offs (pack
     * B, then multiply), the helper keeps spinning through the serial ops between products, and on a
     * busy machine a helper that is not running when its chunk arrives costs a whole time slice. The
     * makemore WaveNet's products (2-4 MFLOP) made its step slower on 2 threads than on 1 at 2^21.
     */
    static final long PARALLEL_MIN_FLOPS = 1L << 23;

    /** Products of a batch below this many flops are spread across threads whole rather than split. */
    static final long BATCH_SPLIT_MAX_FLOPS = 1L << 24;

    /**
     * The largest B, in packed floats (16 MiB), that is packed whole before multiplying (the row-slab
     * scheme, the C-resident order). Each thread keeps its buffer, so a pool thread whose slab took the
     * C-resident order holds up to this much until it packs again.
     */
    static final long PACKED_B_MAX_FLOATS = 1L << 22;

    /**
     * A row-major B is read in place, not packed, when C has at most this many row panels: each B
     * micro-panel then meets too few A slivers to repay its copy, and they all meet it one right after
     * another, while it is still in L1.
     */
    static final int IN_PLACE_B_MAX_ROW_PANELS = 8;

    /**
     * Columns of C that the C-resident order (see {@link #keepsCInL2}) takes at a time: an MC-row block
     * of them is 96×1024 floats, 384 KiB, which stays in L2 while it goes through every k block.
     */
    static final int C_RESIDENT_COLUMNS = 1024;

    /**
     * In the C-resident order each block of A's rows is read again for every {@link #C_RESIDENT_COLUMNS}
     * columns of C; up to this depth (MC×k floats, 384 KiB) it is still in L2 the next time.
     */
    private static final int C_RESIDENT_MAX_REREAD_DEPTH = 1024;

    /** Independent per-thread slabs of C need at least this many tiles each to balance. */
    private static final int MIN_TILES_PER_SLAB = 4;

    /** Products this small skip packing: set-up would cost more than it saves. */
    private static final long DIRECT_MAX_MULTIPLY_ADDS = 2048;

    private static final GemmMicroKernel.Chooser CHOOSER = KernelProvider.select(
            Gemm.class.getPackageName() + ".PanamaGemmKernels", GemmMicroKernel.Chooser.class,
            tile -> new ScalarGemmKernel());
    private static final Tiling WIDE = new Tiling(CHOOSER.choose(System.getProperty("gptfs.gemm.tile")));
    private static final Tiling NARROW = new Tiling(CHOOSER.narrowFor(WIDE.kernel));

    /** Depth of a packed block of the main micro-kernel (see {@link Tiling#kc}). */
    static final int KC = WIDE.kc;

    /** Packing buffers of the thread that uses them, kept so that small products allocate nothing. */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private Gemm() {
    }

    /** The name of the micro-kernel in use, e.g. {@code "PanamaGemmKernel6x4"}. */
    public static String kernelName() {
        return WIDE.kernel.getClass().getSimpleName();
    }

    /** The name of the micro-kernel that a product with {@code n} columns uses. */
    static String kernelName(int n) {
        return tilingFor(n).kernel.getClass().getSimpleName();
    }

    /** The narrow tiling when it pads C's {@code n} columns to fewer tile columns than the main one. */
    private static Tiling tilingFor(int n) {
        return NARROW.paddedColumns(n) < WIDE.paddedColumns(n) ? NARROW : WIDE;
    }

    /**
     * C = A·B, or C += A·B when {@code accumulate}. With {@code k == 0} the product is zero: C is cleared,
     * or left as it is when accumulating.
     *
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static void sgemm(int m, int n, int k,
                             float[] a, int aOff, int aRowStride, int aColStride,
                             float[] b, int bOff, int bRowStride, int bColStride,
                             float[] c, int cOff, int cRowStride, boolean accumulate) {
        checkDimensions("sgemm", m, n, k);
        multiply(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                c, cOff, cRowStride, accumulate, true);
    }

    /**
     * {@code batch} independent products of the same shape; matrix {@code t} of each operand starts at its
     * offset array's entry {@code t}. Small products (attention heads) are spread across threads whole;
     * large ones are each split across threads in turn.
     *
     * @throws IllegalArgumentException if a dimension is negative or an offset array has fewer than
     *                                  {@code batch} entries
     */
    public static void sgemmBatched(int batch, int m, int n, int k,
                                    float[] a, int[] aOffs, int aRowStride, int aColStride,
                                    float[] b, int[] bOffs, int bRowStride, int bColStride,
                                    float[] c, int[] cOffs, int cRowStride, boolean accumulate) {
        checkDimensions("sgemmBatched", m, n, k);
        if (batch < 0 || aOffs.length < batch || bOffs.length < batch || cOffs.length < batch) {
            throw new IllegalArgumentException("sgemmBatched: batch " + batch + " with offset arrays of length "
                    + aOffs.length + ", " + bOffs.length + ", " + cOffs.length);
        }
        long flops = 2L * m * n * k;
        if (flops < BATCH_SPLIT_MAX_FLOPS && (long) batch * flops >= PARALLEL_MIN_FLOPS) {
            Parallel.forRange(batch, flops, (start, end) -> {
                for (int t = start; t < end; t++) {
                    multiply(m, n, k, a, aOffs[t], aRowStride, aColStride, b, bOffs[t], bRowStride, bColStride,
                            c, cOffs[t], cRowStride, accumulate, false);
                }
            });
        } else {
            for (int t = 0; t < batch; t++) {
                multiply(m, n, k, a, aOffs[t], aRowStride, aColStride, b, bOffs[t], bRowStride, bColStride,
                        c, cOffs[t], cRowStride, accumulate, true);
            }
        }
    }

    private static void checkDimensions(String op, int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": negative dimension in [" + m + "," + k + "] @ [" + k + ","
                    + n + "]");
        }
    }

    private static void multiply(int m, int n, int k,
                                 float[] a, int aOff, int aRowStride, int aColStride,
                                 float[] b, int bOff, int bRowStride, int bColStride,
                                 float[] c, int cOff, int cRowStride, boolean accumulate, boolean mayFork) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    int row = cOff + i * cRowStride;
                    Arrays.fill(c, row, row + n, 0f);
                }
            }
            return;
        }
        if ((long) m * n * k <= DIRECT_MAX_MULTIPLY_ADDS || m == 1 || n == 1) {
            direct(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, cRowStride, accumulate);
            return;
        }
        boolean parallel = mayFork && 2L * m * n * k >= PARALLEL_MIN_FLOPS && Parallel.threads() > 1;
        packed(tilingFor(n), m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                c, cOff, cRowStride, accumulate, parallel);
    }

    /**
     * The unpacked path for tiny products and for a single row or column of C, where packing would copy
     * as much as the product reads: rows of C as sums of rows of B, or entries of C as dot products
     * when B is stored column by column.
     */
    private static void direct(int m, int n, int k,
                               float[] a, int aOff, int aRowStride, int aColStride,
                               float[] b, int bOff, int bRowStride, int bColStride,
                               float[] c, int cOff, int cRowStride, boolean accumulate) {
        Kernels kernels = Kernels.get();
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * cRowStride;
            int aRow = aOff + i * aRowStride;
            if (bRowStride == 1 && aColStride == 1) {
                for (int j = 0; j < n; j++) {
                    float dot = kernels.dot(k, a, aRow, b, bOff + j * bColStride);
                    c[cRow + j] = accumulate ? c[cRow + j] + dot : dot;
                }
                continue;
            }
            if (n == 1) {
                // One strided dot product per row: summed one term at a time in float it loses digits to
                // cancellation (a 1×1 result of 55 terms came out 2e-5 off); a double sum costs nothing here.
                double dot = accumulate ? c[cRow] : 0;
                for (int p = 0; p < k; p++) {
                    dot += (double) a[aRow + p * aColStride] * b[bOff + p * bRowStride];
                }
                c[cRow] = (float) dot;
                continue;
            }
            if (!accumulate) {
                Arrays.fill(c, cRow, cRow + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aRow + p * aColStride];
                int bRow = bOff + p * bRowStride;
                if (bColStride == 1) {
                    kernels.axpy(n, aip, b, bRow, c, cRow);
                } else {
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bRow + j * bColStride];
                    }
                }
            }
        }
    }

    private static void packed(Tiling t, int m, int n, int k,
                               float[] a, int aOff, int aRowStride, int aColStride,
                               float[] b, int bOff, int bRowStride, int bColStride,
                               float[] c, int cOff, int cRowStride, boolean accumulate, boolean parallel) {
        if (parallel && (rowSlabsOverPackedB(t, m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride,
                bColStride, c, cOff, cRowStride, accumulate) || splitIndependently(t, m, n, k, a, aOff, aRowStride,
                aColStride, b, bOff, bRowStride, bColStride, c, cOff, cRowStride, accumulate))) {
            return;
        }
        // Equal k blocks (k = 300 gives 150 + 150, not 256 + 44) keep the micro-kernel's loop long.
        int kBlocks = ceilDiv(k, t.kc);
        int kcStep = ceilDiv(k, kBlocks);
        if (!parallel && keepsCInL2(t, m, n, k)) {
            float[] bPack = packWholeB(t, n, k, kcStep, b, bOff, bRowStride, bColStride, false);
            rowsOverPackedB(t, 0, m, n, k, kcStep, a, aOff, aRowStride, aColStride, bPack, c, cOff, cRowStride,
                    accumulate, true);
            return;
        }
        int mPanels = ceilDiv(m, t.mr);
        Workspace caller = WORKSPACE.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int nPanels = ceilDiv(nc, t.nr);
            // Split C by row panels (each thread reads the whole shared B block), unless C has so few rows
            // that the column panels divide better.
            boolean splitRows = mPanels >= nPanels || mPanels >= 8 * Parallel.threads();
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                boolean addToC = accumulate || pc > 0;
                int bBase = bOff + pc * bRowStride + jc * bColStride;
                // A row-major B feeding few row panels is read in place, whole panels at least; only a
                // ragged last panel is packed (zero-padded) into the buffer, where panel q sits at
                // bPackOff + q·NR·kc.
                BInPlace bInPlace = !parallel && bColStride == 1 && mPanels <= IN_PLACE_B_MAX_ROW_PANELS
                        ? new BInPlace(b, bBase, bRowStride, nc / t.nr) : BInPlace.NONE;
                int packedPanels = nPanels - bInPlace.panels;
                float[] bPack = caller.bPack(packedPanels * t.nr * kc);
                int bPackOff = -bInPlace.panels * t.nr * kc;
                forRange(nPanels, parallel, (start, end) -> packB(t, Math.max(start, bInPlace.panels), end, nc, kc,
                        b, bBase, bRowStride, bColStride, bPack, bPackOff));
                int aBase = aOff + pc * aColStride;
                int cBase = cOff + jc;
                if (splitRows) {
                    forRange(mPanels, parallel, (start, end) -> macroKernel(t,
                            start * t.mr, Math.min(end * t.mr, m), 0, nPanels, nc, kc,
                            a, aBase, aRowStride, aColStride, bPack, bPackOff, bInPlace, c, cBase, cRowStride,
                            addToC));
                } else {
                    forRange(nPanels, parallel, (start, end) -> macroKernel(t,
                            0, m, start, end, nc, kc,
                            a, aBase, aRowStride, aColStride, bPack, bPackOff, bInPlace, c, cBase, cRowStride,
                            addToC));
                }
            }
        }
    }

    /**
     * The parallel scheme for a C with enough row panels: all of B is packed first, each thread packing its share
     * of the micro-panels, and then each thread multiplies its own slab of C's rows against the whole packed B.
     * Nothing is packed twice and the threads meet once, between the two phases. (Measured when A was always
     * packed, against independent column slabs that each re-packed all of A: on 1024³ and two threads this scheme
     * averaged 5% more GFLOPS in interleaved runs; the older scheme that shares one B block at a time meets twice
     * per block.) Returns false, leaving the work to another scheme, when C has more rows than columns, too few row
     * panels to give every thread several, or a B whose packed copy would exceed {@link #PACKED_B_MAX_FLOATS}.
     */
    private static boolean rowSlabsOverPackedB(Tiling t, int m, int n, int k,
                                               float[] a, int aOff, int aRowStride, int aColStride,
                                               float[] b, int bOff, int bRowStride, int bColStride,
                                               float[] c, int cOff, int cRowStride, boolean accumulate) {
        int threads = Parallel.threads();
        int mPanels = ceilDiv(m, t.mr);
        // With more rows than columns, independent row slabs re-pack only B, the smaller operand, and
        // each thread reads its own copy from its own cache: 8% faster on the GPT's 768×128 · 128×384.
        if (m > n || mPanels < MIN_TILES_PER_SLAB * threads || !packsWhole(t, n, k)) {
            return false;
        }
        int kBlocks = ceilDiv(k, t.kc);
        int kcStep = ceilDiv(k, kBlocks);
        float[] bPack = packWholeB(t, n, k, kcStep, b, bOff, bRowStride, bColStride, true);
        Parallel.forRange(threads, Long.MAX_VALUE / threads, (first, last) -> {
            for (int slab = first; slab < last; slab++) {
                int rowStart = Math.min(m, (int) ((long) mPanels * slab / threads) * t.mr);
                int rowEnd = Math.min(m, (int) ((long) mPanels * (slab + 1) / threads) * t.mr);
                rowsOverPackedB(t, rowStart, rowEnd, n, k, kcStep, a, aOff, aRowStride, aColStride, bPack, c, cOff,
                        cRowStride, accumulate, false);
            }
        });
        return true;
    }

    /**
     * Whether a product run on one thread (alone, or as one thread's row slab) goes through B packed whole in the
     * C-resident order: each block of MC rows of C, {@link #C_RESIDENT_COLUMNS} columns at a time, runs through
     * every k block while it sits in L2, and B streams from L3 instead. The GotoBLAS order passes over the whole
     * of C once per k block; when C is tall (at least three times as many rows as columns, as the GPT's
     * activations are: 16,384 rows in nanoGPT's GPU config) those passes go to L3 or memory and the micro-kernel
     * waits for its C tiles. Same JVM, alternating with the GotoBLAS order, one thread (2026-11-25):
     * 16384×384·384×1536 1.09×, 16384×1536·1536×384 1.22×, 4096×1024·1024×1024 1.10× as fast. For squares (1024³:
     * 0.96×) the GotoBLAS order is better, since its B block stays in L2; and where A's row blocks are re-read
     * from L3 for several column chunks (8192×2048·2048×2048: 0.91×) too.
     */
    private static boolean keepsCInL2(Tiling t, int m, int n, int k) {
        return k > t.kc && m >= 3L * n && (n <= C_RESIDENT_COLUMNS || k <= C_RESIDENT_MAX_REREAD_DEPTH)
                && packsWhole(t, n, k);
    }

    /** Whether a k×n B, padded to whole micro-panels, fits within {@link #PACKED_B_MAX_FLOATS} packed whole. */
    private static boolean packsWhole(Tiling t, int n, int k) {
        return (long) ceilDiv(n, t.nr) * t.nr * k <= PACKED_B_MAX_FLOATS;
    }

    /**
     * Packs all of B into the caller's buffer, block by block of {@code kcStep} rows: block pc at
     * {@code pc·blockColumns} (blockColumns = n rounded up to whole micro-panels), panel by panel, each
     * thread packing a share of the micro-panels when {@code parallel}.
     */
    private static float[] packWholeB(Tiling t, int n, int k, int kcStep,
                                      float[] b, int bOff, int bRowStride, int bColStride, boolean parallel) {
        int nPanels = ceilDiv(n, t.nr);
        int blockColumns = nPanels * t.nr;
        float[] bPack = WORKSPACE.get().bPack(blockColumns * k);
        forRange(nPanels, parallel, (start, end) -> {
            for (int pc = 0; pc < k; pc += kcStep) {
                packB(t, start, end, n, Math.min(kcStep, k - pc), b, bOff + pc * bRowStride, bRowStride, bColStride,
                        bPack, pc * blockColumns);
            }
        });
        return bPack;
    }

    /**
     * C's rows {@code [rowStart, rowEnd)} against a B packed whole by {@link #packWholeB}, in the GotoBLAS
     * order (each k block over all these rows, so that the block stays in L2) or, when
     * {@code keepCInL2}, in the C-resident one described at {@link #keepsCInL2}. Both add the k blocks to
     * each element of C in the same order.
     */
    private static void rowsOverPackedB(Tiling t, int rowStart, int rowEnd, int n, int k, int kcStep,
                                        float[] a, int aOff, int aRowStride, int aColStride, float[] bPack,
                                        float[] c, int cOff, int cRowStride, boolean accumulate, boolean keepCInL2) {
        int nPanels = ceilDiv(n, t.nr);
        int blockColumns = nPanels * t.nr;
        if (keepCInL2) {
            int chunk = Math.max(1, C_RESIDENT_COLUMNS / t.nr);
            for (int ic = rowStart; ic < rowEnd; ic += t.mc) {
                int icEnd = Math.min(rowEnd, ic + t.mc);
                for (int q = 0; q < nPanels; q += chunk) {
                    for (int pc = 0; pc < k; pc += kcStep) {
                        macroKernel(t, ic, icEnd, q, Math.min(nPanels, q + chunk), n, Math.min(kcStep, k - pc),
                                a, aOff + pc * aColStride, aRowStride, aColStride, bPack, pc * blockColumns,
                                BInPlace.NONE, c, cOff, cRowStride, accumulate || pc > 0);
                    }
                }
            }
            return;
        }
        for (int jc = 0; rowStart < rowEnd && jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                // Within block pc the micro-panels are nr·kc floats apart, so column jc starts jc·kc in.
                int kc = Math.min(kcStep, k - pc);
                macroKernel(t, rowStart, rowEnd, 0, ceilDiv(nc, t.nr), nc, kc, a, aOff + pc * aColStride,
                        aRowStride, aColStride, bPack, pc * blockColumns + jc * kc, BInPlace.NONE, c, cOff + jc,
                        cRowStride, accumulate || pc > 0);
            }
        }
    }

    /**
     * Cuts C into one slab of whole tiles per thread and lets each thread run the serial algorithm on its
     * slab, packing its own operands: no thread waits for another between packing and multiplying, which
     * the shared-B scheme needs twice per k block. The operand every slab reads whole (A for column slabs,
     * B for row slabs) is packed once per thread; C is cut along the side that duplicates the smaller
     * operand. Returns false, leaving the work to the shared-B scheme, when C has too few tiles for every
     * thread to get several.
     */
    private static boolean splitIndependently(Tiling t, int m, int n, int k,
                                              float[] a, int aOff, int aRowStride, int aColStride,
                                              float[] b, int bOff, int bRowStride, int bColStride,
                                              float[] c, int cOff, int cRowStride, boolean accumulate) {
        int threads = Parallel.threads();
        boolean byColumns = m <= n; // then each slab re-packs A (m×k), the smaller one
        int tile = byColumns ? t.nr : t.mr;
        int tiles = ceilDiv(byColumns ? n : m, tile);
        if (tiles < MIN_TILES_PER_SLAB * threads) {
            return false;
        }
        int extent = byColumns ? n : m;
        Parallel.forRange(threads, Long.MAX_VALUE / threads, (first, last) -> {
            for (int slab = first; slab < last; slab++) {
                int from = Math.min(extent, (int) ((long) tiles * slab / threads) * tile);
                int to = Math.min(extent, (int) ((long) tiles * (slab + 1) / threads) * tile);
                if (from >= to) {
                    continue;
                }
                if (byColumns) {
                    packed(t, m, to - from, k, a, aOff, aRowStride, aColStride, b, bOff + from * bColStride, bRowStride,
                            bColStride, c, cOff + from, cRowStride, accumulate, false);
                } else {
                    packed(t, to - from, n, k, a, aOff + from * aRowStride, aRowStride, aColStride, b, bOff, bRowStride,
                            bColStride, c, cOff + from * cRowStride, cRowStride, accumulate, false);
                }
            }
        });
        return true;
    }

    /** Runs {@code body} over {@code [0, n)}, cut into one chunk per thread when {@code parallel}. */
    private static void forRange(int n, boolean parallel, Parallel.RangeBody body) {
        if (parallel) {
            Parallel.forRange(n, Long.MAX_VALUE / n, body);
        } else {
            body.run(0, n);
        }
    }

    /**
     * Multiplies rows {@code [rowStart, rowEnd)} of the current A block by B micro-panels
     * {@code [panelStart, panelEnd)} of the packed B block into C, packing A (when it must be) on the
     * calling thread.
     */
    private static void macroKernel(Tiling t, int rowStart, int rowEnd, int panelStart, int panelEnd, int nc, int kc,
                                    float[] a, int aBase, int aRowStride, int aColStride, float[] bPack, int bPackOff,
                                    BInPlace bInPlace, float[] c, int cBase, int cRowStride, boolean addToC) {
        Workspace own = WORKSPACE.get();
        float[] aPack = own.aPack;
        float[] tile = own.tile;
        GemmMicroKernel kernel = t.kernel;
        int mr = t.mr;
        int nr = t.nr;
        boolean unpacked = aColStride == 1 || aRowStride == 1;
        for (int ic = rowStart; ic < rowEnd; ic += t.mc) {
            int mc = Math.min(t.mc, rowEnd - ic);
            if (!unpacked) {
                packA(mr, mc, kc, a, aBase + ic * aRowStride, aRowStride, aColStride, aPack);
            } else if (mc % mr != 0) {
                // The last sliver has fewer than MR rows: pack it, zero-padded, to keep the tile whole.
                int full = mc - mc % mr;
                packA(mr, mc - full, kc, a, aBase + (ic + full) * aRowStride, aRowStride, aColStride, aPack);
            }
            for (int q = panelStart; q < panelEnd; q++) {
                int j = q * nr;
                int cols = Math.min(nr, nc - j);
                float[] bPanel = bPack;
                int bIdx = bPackOff + q * nr * kc;
                int bRowStride = nr;
                if (q < bInPlace.panels) {
                    bPanel = bInPlace.b;
                    bIdx = bInPlace.base + j;
                    bRowStride = bInPlace.rowStride;
                }
                for (int ir = 0; ir < mc; ir += mr) {
                    int rows = Math.min(mr, mc - ir);
                    int cIdx = cBase + (ic + ir) * cRowStride + j;
                    float[] sliver = aPack;
                    int aIdx = ir * kc;
                    int rowStride = 1;
                    int colStride = mr;
                    if (unpacked) {
                        if (rows == mr) {
                            sliver = a;
                            aIdx = aBase + (ic + ir) * aRowStride;
                            rowStride = aRowStride;
                            colStride = aColStride;
                        } else {
                            aIdx = 0;
                        }
                    }
                    if (rows == mr && cols == nr) {
                        kernel.multiply(kc, sliver, aIdx, rowStride, colStride, bPanel, bIdx, bRowStride,
                                c, cIdx, cRowStride, addToC);
                    } else {
                        // The edge tile starts from C as a whole tile would, so every element of C is the
                        // same chain of fused multiply-adds wherever the tile edges fall.
                        if (addToC) {
                            loadEdgeTile(c, cIdx, cRowStride, rows, cols, tile, nr);
                        }
                        kernel.multiply(kc, sliver, aIdx, rowStride, colStride, bPanel, bIdx, bRowStride,
                                tile, 0, nr, addToC);
                        storeEdgeTile(tile, nr, rows, cols, c, cIdx, cRowStride);
                    }
                }
            }
        }
    }

    /** Copies the {@code rows×cols} corner of C at {@code c[cIdx]} into the tile buffer (row stride NR). */
    private static void loadEdgeTile(float[] c, int cIdx, int cRowStride, int rows, int cols, float[] tile, int nr) {
        for (int i = 0; i < rows; i++) {
            System.arraycopy(c, cIdx + i * cRowStride, tile, i * nr, cols);
        }
    }

    /** Copies the {@code rows×cols} corner of the tile buffer back into C. */
    private static void storeEdgeTile(float[] tile, int nr, int rows, int cols, float[] c, int cIdx, int cRowStride) {
        for (int i = 0; i < rows; i++) {
            System.arraycopy(tile, i * nr, c, cIdx + i * cRowStride, cols);
        }
    }

    /**
     * Packs {@code mc} rows and {@code kc} columns of A, starting at {@code a[base]}, into MR-row
     * micro-panels: panel r at {@code dst[r·MR·kc]}, element (i, p) of it at {@code [p·MR + i]}; rows past
     * {@code mc} are zero. Reads along whichever stride is unit.
     */
    private static void packA(int mr, int mc, int kc, float[] a, int base, int rowStride, int colStride, float[] dst) {
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            int d = ir * kc;
            int src = base + ir * rowStride;
            if (colStride == 1) {
                for (int i = 0; i < rows; i++) {
                    int s = src + i * rowStride;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * mr + i] = a[s + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int s = src + p * colStride;
                    int t = d + p * mr;
                    for (int i = 0; i < rows; i++) {
                        dst[t + i] = a[s + i * rowStride];
                    }
                }
            }
            if (rows < mr) {
                for (int p = 0; p < kc; p++) {
                    for (int i = rows; i < mr; i++) {
                        dst[d + p * mr + i] = 0f; // a loop: Arrays.fill's call costs more than a few floats
                    }
                }
            }
        }
    }

    /**
     * Packs B micro-panels {@code [panelStart, panelEnd)} of a {@code kc×nc} block starting at
     * {@code b[base]}: panel q at {@code dst[dstOff + q·NR·kc]}, element (p, j) of it at {@code [p·NR + j]};
     * columns past {@code nc} are zero. Reads along whichever stride is unit.
     */
    private static void packB(Tiling t, int panelStart, int panelEnd, int nc, int kc,
                              float[] b, int base, int rowStride, int colStride, float[] dst, int dstOff) {
        int nr = t.nr;
        for (int q = panelStart; q < panelEnd; q++) {
            int j0 = q * nr;
            int cols = Math.min(nr, nc - j0);
            int d = dstOff + q * nr * kc;
            int src = base + j0 * colStride;
            if (rowStride == 1 && colStride != 1) {
                packColumnMajorPanel(kc, nr, cols, b, src, colStride, dst, d);
                continue;
            }
            // Row by row of the panel, so the writes are sequential. The zero padding is a plain loop:
            // Arrays.fill's call costs more than the few floats it fills.
            for (int p = 0; p < kc; p++) {
                int s = src + p * rowStride;
                int row = d + p * nr;
                if (colStride == 1) {
                    System.arraycopy(b, s, dst, row, cols);
                } else {
                    for (int j = 0; j < cols; j++) {
                        dst[row + j] = b[s + j * colStride];
                    }
                }
                for (int j = cols; j < nr; j++) {
                    dst[row + j] = 0f;
                }
            }
        }
    }

    /**
     * One micro-panel of a column-major B (a transposed weight, W^T): eight (then four) of its columns at
     * a time, each read along its contiguous length while the writes of each step fill one stretch of a
     * panel row. Element by element along panel rows instead, every read touched a different cache line and
     * packing cost as much as the multiply in the makemore MLP's backward (32×30 · 30×200, W1^T).
     */
    private static void packColumnMajorPanel(int kc, int nr, int cols, float[] b, int src, int colStride,
                                             float[] dst, int d) {
        int j = 0;
        for (; j + 8 <= cols; j += 8) {
            int s0 = src + j * colStride;
            int s1 = s0 + colStride;
            int s2 = s1 + colStride;
            int s3 = s2 + colStride;
            int s4 = s3 + colStride;
            int s5 = s4 + colStride;
            int s6 = s5 + colStride;
            int s7 = s6 + colStride;
            for (int p = 0, row = d + j; p < kc; p++, row += nr) {
                dst[row] = b[s0 + p];
                dst[row + 1] = b[s1 + p];
                dst[row + 2] = b[s2 + p];
                dst[row + 3] = b[s3 + p];
                dst[row + 4] = b[s4 + p];
                dst[row + 5] = b[s5 + p];
                dst[row + 6] = b[s6 + p];
                dst[row + 7] = b[s7 + p];
            }
        }
        for (; j + 4 <= cols; j += 4) {
            int s0 = src + j * colStride;
            int s1 = s0 + colStride;
            int s2 = s1 + colStride;
            int s3 = s2 + colStride;
            for (int p = 0, row = d + j; p < kc; p++, row += nr) {
                dst[row] = b[s0 + p];
                dst[row + 1] = b[s1 + p];
                dst[row + 2] = b[s2 + p];
                dst[row + 3] = b[s3 + p];
            }
        }
        for (; j < cols; j++) {
            int s0 = src + j * colStride;
            for (int p = 0, row = d + j; p < kc; p++, row += nr) {
                dst[row] = b[s0 + p];
            }
        }
        for (int p = 0, row = d; p < kc; p++, row += nr) {
            for (int z = cols; z < nr; z++) {
                dst[row + z] = 0f;
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * The first {@code panels} micro-panels of a B block read where B lies (row-major, row stride
     * {@code rowStride}, the block at {@code b[base]}) instead of from the packed buffer.
     */
    private record BInPlace(float[] b, int base, int rowStride, int panels) {
        static final BInPlace NONE = new BInPlace(null, 0, 0, 0);
    }

    /**
     * A micro-kernel with the block sizes that suit its tile.
     *
     * <p>{@code kc}, the depth of a packed block: a B micro-panel of kc×NR floats stays within 32 KiB, so
     * it sits in L1 while the A slivers stream past it (128 for 64-wide tiles, 256 for 16- and 32-wide
     * ones). {@code mc}, the rows of A taken (and packed, when A must be) at a time: a whole number of
     * tiles, 96×kc floats (at most 96 KiB) that stay in L2.
     */
    private static final class Tiling {
        final GemmMicroKernel kernel;
        final int mr;
        final int nr;
        final int kc;
        final int mc;

        Tiling(GemmMicroKernel kernel) {
            this.kernel = kernel;
            this.mr = kernel.rows();
            this.nr = kernel.cols();
            this.kc = Math.max(128, Math.min(256, 8192 / nr));
            this.mc = Math.max(1, 96 / mr) * mr;
        }

        /** The columns a product with {@code n} columns computes, padded to whole tiles. */
        int paddedColumns(int n) {
            return ceilDiv(n, nr) * nr;
        }
    }

    /** One thread's packing buffers, large enough for either tiling. */
    private static final class Workspace {
        final float[] aPack = new float[Math.max(WIDE.mc * WIDE.kc, NARROW.mc * NARROW.kc)];
        final float[] tile = new float[Math.max(WIDE.mr * WIDE.nr, NARROW.mr * NARROW.nr)];
        private float[] bPack = new float[0];

        /** The B buffer, grown to at least {@code size} floats (at most {@link Gemm#PACKED_B_MAX_FLOATS}). */
        float[] bPack(int size) {
            if (bPack.length < size) {
                bPack = new float[size];
            }
            return bPack;
        }
    }
}
