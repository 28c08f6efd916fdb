package io.github.gptfromscratch.tensor;

import io.github.gptfromscratch.tensor.internal.kernels.Gemm;
import io.github.gptfromscratch.tensor.internal.kernels.Kernels;

import java.util.Arrays;

/**
 * Causal scaled dot-product attention in one pass over blocks of queries and keys, as FlashAttention
 * does: the scores of a block never leave a small scratch buffer, the softmax is computed online
 * (running row maximum and sum), and only the row log-sum-exp is kept for the backward pass, which
 * recomputes the probabilities block by block.
 *
 * <p>Short sequences (at most {@link #SMALL_MAX_KEYS} keys, nanoGPT's CPU recipe has 64) take a second
 * path: a head's whole score matrix fits in L1, so its rows are computed whole (the softmax needs no
 * online correction) with the unpacked {@link Kernels#gemmSmall}, whose set-up costs nothing, where
 * {@link Gemm} would pack and tile every 64×64 block. Both paths compute the same function and keep the
 * same log-sum-exp, so either backward pass can follow either forward pass.
 *
 * <p>q is {@code [B, H, Tq, d]}, k and v are {@code [B, H, Tk, d]} with {@code Tq <= Tk}; query i sits at
 * position {@code i + Tk − Tq} and sees keys up to that position. Any strides with a unit last stride
 * are read in place (the q/k/v slices of a fused projection need no copy).
 *
 * <pre>{@code
 * FusedAttention.Forward f = FusedAttention.forward(q, k, v);
 * Tensor y = f.output();                                    // [B, H, Tq, d]
 * FusedAttention.Gradients g = FusedAttention.backward(q, k, v, f, dy);
 * }</pre>
 */
public final class FusedAttention {

    /** Queries and keys per block: a 64×64 score tile (16 KiB) stays in L1 with its rows of q, k, v. */
    static final int BLOCK = 64;

    /**
     * Heads with at most this many keys take the small path: its whole score rows (and, in the backward
     * pass, two Tq×Tk matrices and the transposed k and v) must stay in L1/L2.
     */
    static final int SMALL_MAX_KEYS = 128;

    /** Queries (or keys) per {@link Kernels#gemmSmall} call on the small path: the causal triangle is cut at this grain. */
    static final int SMALL_ROWS = 16;

    /**
     * Score rows on the small path are computed in whole runs of this many keys (a multiple of every
     * vector length), so the kernel never falls to its scalar tail; the transposed keys are zero past Tk.
     */
    static final int KEY_RUN = 16;

    /** The two implementations; {@link #choose} picks one, tests force each. */
    enum Path {
        SMALL, BLOCKED;

        static Path choose(int keys) {
            return keys <= SMALL_MAX_KEYS ? SMALL : BLOCKED;
        }
    }

    private FusedAttention() {
    }

    /** The output and, per query row, log Σ exp(scores): what the backward pass needs. */
    public record Forward(Tensor output, float[] logSumExp) {
    }

    /** Gradients with respect to q, k and v, contiguous. */
    public record Gradients(Tensor dq, Tensor dk, Tensor dv) {
    }

    private record Dims(int batch, int heads, int tq, int tk, int d, int shift) {
        int pairs() {
            return batch * heads;
        }

        /** The number of keys query i sees (up to its position i + shift), at most Tk. */
        int visible(int i) {
            return Math.min(tk, i + shift + 1);
        }

        /** The first query that sees key j. */
        int firstQuery(int j) {
            return Math.max(0, j - shift);
        }
    }

    /** Where q, k and v of one (batch, head) pair start. */
    private record Head(int q, int k, int v) {
    }

    private static Dims check(Tensor q, Tensor k, Tensor v) {
        if (q.dim() != 4 || k.dim() != 4 || !Arrays.equals(k.shape, v.shape) || q.shape[0] != k.shape[0]
                || q.shape[1] != k.shape[1] || q.shape[3] != k.shape[3] || q.shape[2] > k.shape[2]) {
            throw new IllegalArgumentException("attention: q " + Shapes.str(q.shape) + ", k " + Shapes.str(k.shape)
                    + ", v " + Shapes.str(v.shape) + " — need q [B,H,Tq,d] and k, v [B,H,Tk,d] with Tq <= Tk");
        }
        return new Dims(q.shape[0], q.shape[1], q.shape[2], k.shape[2], q.shape[3], k.shape[2] - q.shape[2]);
    }

    private static Tensor unitLastStride(Tensor t) {
        return t.strides[3] == 1 ? t : t.contiguous();
    }

    private static int pairOffset(Tensor t, int pair, int heads) {
        return t.offset + (pair / heads) * t.strides[0] + (pair % heads) * t.strides[1];
    }

    private static Head head(Tensor q, Tensor k, Tensor v, int pair, int heads) {
        return new Head(pairOffset(q, pair, heads), pairOffset(k, pair, heads), pairOffset(v, pair, heads));
    }

    /** softmax(q·kᵀ/√d + causal mask)·v. */
    public static Forward forward(Tensor q, Tensor k, Tensor v) {
        return forward(q, k, v, Path.choose(check(q, k, v).tk()));
    }

    /** {@link #forward(Tensor, Tensor, Tensor)} on the given path, whatever the sequence length. */
    static Forward forward(Tensor q0, Tensor k0, Tensor v0, Path path) {
        Dims dm = check(q0, k0, v0);
        Tensor q = unitLastStride(q0);
        Tensor k = unitLastStride(k0);
        Tensor v = unitLastStride(v0);
        Tensor out = Tensor.allocate(new int[] {dm.batch(), dm.heads(), dm.tq(), dm.d()});
        float[] lse = new float[dm.pairs() * dm.tq()];
        long cost = 2L * dm.tq() * dm.tk() * dm.d();
        Parallel.forRange(dm.pairs(), cost, (start, end) -> {
            if (path == Path.SMALL) {
                forwardSmall(dm, q, k, v, out, lse, start, end);
            } else {
                forwardBlocked(dm, q, k, v, out, lse, start, end);
            }
        });
        return new Forward(out, lse);
    }

    /** Gradients of the attention output with respect to q, k and v, given {@code dOut}. */
    public static Gradients backward(Tensor q, Tensor k, Tensor v, Forward fwd, Tensor dOut) {
        return backward(q, k, v, fwd, dOut, Path.choose(check(q, k, v).tk()));
    }

    /** {@link #backward(Tensor, Tensor, Tensor, Forward, Tensor)} on the given path, whatever the sequence length. */
    static Gradients backward(Tensor q0, Tensor k0, Tensor v0, Forward fwd, Tensor dOut0, Path path) {
        Dims dm = check(q0, k0, v0);
        Tensor q = unitLastStride(q0);
        Tensor k = unitLastStride(k0);
        Tensor v = unitLastStride(v0);
        Tensor dOut = dOut0.contiguous();
        Tensor dq = Tensor.allocate(q.shape);
        Tensor dk = Tensor.allocate(k.shape);
        Tensor dv = Tensor.allocate(v.shape);
        Gradients grads = new Gradients(dq, dk, dv);
        long cost = 5L * dm.tq() * dm.tk() * dm.d();
        Parallel.forRange(dm.pairs(), cost, (start, end) -> {
            if (path == Path.SMALL) {
                backwardSmall(dm, q, k, v, fwd, dOut, grads, start, end);
            } else {
                backwardBlocked(dm, q, k, v, fwd, dOut, grads, start, end);
            }
        });
        return grads;
    }

    private static float scale(Dims dm) {
        return (float) (1.0 / Math.sqrt(dm.d()));
    }

    /**
     * D_i = dO_i · O_i for the rows of one head: the softmax backward's row term Σ_j P_ij·dP_ij, found
     * before any block of the row's scores is.
     */
    private static void rowDots(Dims dm, float[] dOut, int go, float[] out, int oo, float[] rowDot) {
        Kernels kern = Kernels.get();
        for (int r = 0; r < dm.tq(); r++) {
            rowDot[r] = kern.dot(dm.d(), dOut, go + r * dm.d(), out, oo + r * dm.d());
        }
    }

    /** dS = P ⊙ (dP − D)·scale over one row of {@code n} scores, in place in {@code dp}. */
    private static void scoreGradient(int n, float[] p, float[] dp, int off, float rowDot, float scale) {
        for (int c = 0; c < n; c++) {
            dp[off + c] = p[off + c] * (dp[off + c] - rowDot) * scale;
        }
    }

    // ---- Small path: a head's whole score rows at once, products through Kernels.gemmSmall ----

    private static int keyRuns(int keys) {
        return (keys + KEY_RUN - 1) / KEY_RUN * KEY_RUN;
    }

    /**
     * Copies the Tk×d rows at {@code x[off]} transposed into {@code xt} (d rows of {@code ld} keys): the
     * scores are then a product with a row-major B. Four keys at a time, so the writes come in runs of
     * four and the reads in four streams. Columns past Tk are never written and stay zero.
     */
    private static void transposeKeys(Dims dm, float[] x, int off, int rowStride, float[] xt, int ld) {
        int j = 0;
        for (; j + 4 <= dm.tk(); j += 4) {
            int r0 = off + j * rowStride;
            int r1 = r0 + rowStride;
            int r2 = r1 + rowStride;
            int r3 = r2 + rowStride;
            for (int p = 0; p < dm.d(); p++) {
                int o = p * ld + j;
                xt[o] = x[r0 + p];
                xt[o + 1] = x[r1 + p];
                xt[o + 2] = x[r2 + p];
                xt[o + 3] = x[r3 + p];
            }
        }
        for (; j < dm.tk(); j++) {
            for (int p = 0; p < dm.d(); p++) {
                xt[p * ld + j] = x[off + j * rowStride + p];
            }
        }
    }

    /**
     * Prepares score row r for a softmax over whole runs of {@link #KEY_RUN} keys: the scores of the
     * keys it must not see, up to the end of its run, become −∞ (so exp makes them 0 and the vector
     * kernels need no scalar tail), and the rest of the row, never computed, becomes 0 for the products
     * that read whole blocks of rows. Returns the run length.
     */
    private static int maskRow(Dims dm, int r, float[] s, int so, int ld) {
        int visible = dm.visible(r);
        int run = keyRuns(visible);
        Arrays.fill(s, so + visible, so + run, Float.NEGATIVE_INFINITY);
        Arrays.fill(s, so + run, so + ld, 0f);
        return run;
    }

    /**
     * S[i, j] = X_i · Y_j for every query i and at least the keys it sees (S = Q·Kᵀ, dP = dO·Vᵀ), given
     * Yᵀ padded to {@code ld} keys: each block of queries stops at the last key its last row sees.
     */
    private static void scores(Dims dm, float[] x, int xOff, int xRow, float[] yt, int ld, float[] s) {
        for (int i0 = 0; i0 < dm.tq(); i0 += SMALL_ROWS) {
            int rows = Math.min(SMALL_ROWS, dm.tq() - i0);
            int keys = keyRuns(dm.visible(i0 + rows - 1));
            Kernels.get().gemmSmall(rows, keys, dm.d(), x, xOff + i0 * xRow, xRow, 1, yt, 0, ld, s, i0 * ld, ld, false);
        }
    }

    /** C_i = Σ_j W[i, j]·Y_j over the keys each query sees (O = P·V, dQ = dS·K); W is zero past them. */
    private static void sumOverKeys(Dims dm, float[] w, int ld, float[] y, int yOff, int yRow, float[] c, int cOff) {
        for (int i0 = 0; i0 < dm.tq(); i0 += SMALL_ROWS) {
            int rows = Math.min(SMALL_ROWS, dm.tq() - i0);
            Kernels.get().gemmSmall(rows, dm.d(), dm.visible(i0 + rows - 1), w, i0 * ld, ld, 1, y, yOff, yRow,
                    c, cOff + i0 * dm.d(), dm.d(), false);
        }
    }

    /** C_j = Σ_i W[i, j]·Y_i over the queries that see each key (dV = Pᵀ·dO, dK = dSᵀ·Q); W is zero elsewhere. */
    private static void sumOverQueries(Dims dm, float[] w, int ld, float[] y, int yOff, int yRow, float[] c, int cOff) {
        for (int j0 = 0; j0 < dm.tk(); j0 += SMALL_ROWS) {
            int rows = Math.min(SMALL_ROWS, dm.tk() - j0);
            int first = dm.firstQuery(j0);
            Kernels.get().gemmSmall(rows, dm.d(), dm.tq() - first, w, first * ld + j0, 1, ld, y, yOff + first * yRow,
                    yRow, c, cOff + j0 * dm.d(), dm.d(), false);
        }
    }

    private static void forwardSmall(Dims dm, Tensor q, Tensor k, Tensor v, Tensor out, float[] lse, int start, int end) {
        Kernels kern = Kernels.get();
        float scale = scale(dm);
        int ld = keyRuns(dm.tk());
        float[] kt = new float[dm.d() * ld];
        float[] s = new float[dm.tq() * ld];
        float[] rowSum = new float[dm.tq()];
        for (int pair = start; pair < end; pair++) {
            Head h = head(q, k, v, pair, dm.heads());
            int oo = pair * dm.tq() * dm.d();
            transposeKeys(dm, k.data, h.k(), k.strides[2], kt, ld);
            scores(dm, q.data, h.q(), q.strides[2], kt, ld, s);
            for (int r = 0; r < dm.tq(); r++) { // P = exp(S·scale − max), unnormalised
                int so = r * ld;
                int run = maskRow(dm, r, s, so, ld);
                kern.scale(run, scale, s, so);
                float max = kern.max(run, s, so);
                float sum = kern.expShiftSum(run, s, so, max, s, so);
                rowSum[r] = sum;
                lse[pair * dm.tq() + r] = max + (float) Math.log(sum);
            }
            sumOverKeys(dm, s, ld, v.data, h.v(), v.strides[2], out.data, oo);
            for (int r = 0; r < dm.tq(); r++) { // normalise the d outputs rather than the Tk probabilities
                kern.scale(dm.d(), 1f / rowSum[r], out.data, oo + r * dm.d());
            }
        }
    }

    private static void backwardSmall(Dims dm, Tensor q, Tensor k, Tensor v, Forward fwd, Tensor dOut, Gradients g,
                                      int start, int end) {
        Kernels kern = Kernels.get();
        float scale = scale(dm);
        int d = dm.d();
        int ld = keyRuns(dm.tk());
        float[] kt = new float[d * ld];
        float[] vt = new float[d * ld];
        float[] p = new float[dm.tq() * ld];
        float[] dp = new float[dm.tq() * ld];
        for (int pair = start; pair < end; pair++) {
            Head h = head(q, k, v, pair, dm.heads());
            int qg = pair * dm.tq() * d; // dQ is contiguous
            int kg = pair * dm.tk() * d; // dK and dV too
            int go = dOut.offset + qg; // dO is contiguous but may start anywhere
            transposeKeys(dm, k.data, h.k(), k.strides[2], kt, ld);
            transposeKeys(dm, v.data, h.v(), v.strides[2], vt, ld);
            scores(dm, q.data, h.q(), q.strides[2], kt, ld, p);
            scores(dm, dOut.data, go, d, vt, ld, dp);
            for (int r = 0; r < dm.tq(); r++) { // P = exp(S·scale − lse) and dS
                int so = r * ld;
                int run = maskRow(dm, r, p, so, ld);
                kern.scale(run, scale, p, so);
                kern.expShiftSum(run, p, so, fwd.logSumExp()[pair * dm.tq() + r], p, so);
                // The whole row is here, so D = Σ_j P·dP as the softmax backward computes it (equal to
                // dO·O): a single visible key then gets dS = P·(dP − dP) = 0 exactly, as composed.
                scoreGradient(run, p, dp, so, kern.dot(run, p, so, dp, so), scale);
                Arrays.fill(dp, so + run, so + ld, 0f);
            }
            sumOverKeys(dm, dp, ld, k.data, h.k(), k.strides[2], g.dq().data, qg);
            sumOverQueries(dm, p, ld, dOut.data, go, d, g.dv().data, kg);
            sumOverQueries(dm, dp, ld, q.data, h.q(), q.strides[2], g.dk().data, kg);
        }
    }

    // ---- Blocked path: 64×64 tiles of scores with an online softmax, products through Gemm ----

    private static void forwardBlocked(Dims dm, Tensor q, Tensor k, Tensor v, Tensor out, float[] lse, int start, int end) {
        Kernels kern = Kernels.get();
        float scale = scale(dm);
        float[] s = new float[BLOCK * BLOCK];
        float[] rowMax = new float[BLOCK];
        float[] rowSum = new float[BLOCK];
        for (int pair = start; pair < end; pair++) {
            Head h = head(q, k, v, pair, dm.heads());
            int oo = pair * dm.tq() * dm.d();
            for (int i0 = 0; i0 < dm.tq(); i0 += BLOCK) {
                int bq = Math.min(BLOCK, dm.tq() - i0);
                Arrays.fill(rowMax, Float.NEGATIVE_INFINITY);
                Arrays.fill(rowSum, 0f);
                int lastKey = dm.visible(i0 + bq - 1) - 1; // the last key any row of this block sees
                for (int j0 = 0; j0 <= lastKey; j0 += BLOCK) {
                    int bk = Math.min(BLOCK, lastKey + 1 - j0);
                    // S = Q_blk · K_blkᵀ (K read transposed through its strides)
                    Gemm.sgemm(bq, bk, dm.d(), q.data, h.q() + i0 * q.strides[2], q.strides[2], 1,
                            k.data, h.k() + j0 * k.strides[2], 1, k.strides[2], s, 0, bk, false);
                    for (int r = 0; r < bq; r++) {
                        int visible = Math.min(bk, dm.visible(i0 + r) - j0); // causal cut within the block
                        int so = r * bk;
                        if (visible <= 0) {
                            Arrays.fill(s, so, so + bk, 0f);
                            continue;
                        }
                        kern.scale(visible, scale, s, so);
                        float blockMax = kern.max(visible, s, so);
                        float newMax = Math.max(rowMax[r], blockMax);
                        float correction = (float) Math.exp(rowMax[r] - newMax);
                        float sum = kern.expShiftSum(visible, s, so, newMax, s, so);
                        Arrays.fill(s, so + visible, so + bk, 0f);
                        rowSum[r] = rowSum[r] * correction + sum;
                        rowMax[r] = newMax;
                        if (j0 > 0 && correction != 1f) {
                            kern.scale(dm.d(), correction, out.data, oo + (i0 + r) * dm.d());
                        }
                    }
                    // O_blk += P · V_blk
                    Gemm.sgemm(bq, dm.d(), bk, s, 0, bk, 1, v.data, h.v() + j0 * v.strides[2], v.strides[2], 1,
                            out.data, oo + i0 * dm.d(), dm.d(), j0 > 0);
                }
                for (int r = 0; r < bq; r++) {
                    kern.scale(dm.d(), 1f / rowSum[r], out.data, oo + (i0 + r) * dm.d());
                    lse[pair * dm.tq() + i0 + r] = rowMax[r] + (float) Math.log(rowSum[r]);
                }
            }
        }
    }

    private static void backwardBlocked(Dims dm, Tensor q, Tensor k, Tensor v, Forward fwd, Tensor dOut, Gradients g,
                                        int start, int end) {
        Kernels kern = Kernels.get();
        float scale = scale(dm);
        int d = dm.d();
        float[] p = new float[BLOCK * BLOCK];
        float[] dp = new float[BLOCK * BLOCK];
        float[] rowDot = new float[dm.tq()];
        for (int pair = start; pair < end; pair++) {
            Head h = head(q, k, v, pair, dm.heads());
            int qg = pair * dm.tq() * d; // O and dQ are contiguous
            int kg = pair * dm.tk() * d; // dK and dV too
            int go = dOut.offset + qg; // dO is contiguous but may start anywhere
            rowDots(dm, dOut.data, go, fwd.output().data, qg, rowDot);
            for (int j0 = 0; j0 < dm.tk(); j0 += BLOCK) {
                int bk = Math.min(BLOCK, dm.tk() - j0);
                // queries before the first that sees key j0 see none of these keys
                for (int i0 = (dm.firstQuery(j0) / BLOCK) * BLOCK; i0 < dm.tq(); i0 += BLOCK) {
                    int bq = Math.min(BLOCK, dm.tq() - i0);
                    Gemm.sgemm(bq, bk, d, q.data, h.q() + i0 * q.strides[2], q.strides[2], 1,
                            k.data, h.k() + j0 * k.strides[2], 1, k.strides[2], p, 0, bk, false);
                    // dP = dO_blk · V_blkᵀ
                    Gemm.sgemm(bq, bk, d, dOut.data, go + i0 * d, d, 1, v.data, h.v() + j0 * v.strides[2], 1,
                            v.strides[2], dp, 0, bk, false);
                    for (int r = 0; r < bq; r++) { // P = exp(S·scale − lse) and dS, both zero where masked
                        int visible = Math.max(0, Math.min(bk, dm.visible(i0 + r) - j0));
                        int so = r * bk;
                        kern.scale(visible, scale, p, so);
                        kern.expShiftSum(visible, p, so, fwd.logSumExp()[pair * dm.tq() + i0 + r], p, so);
                        scoreGradient(visible, p, dp, so, rowDot[i0 + r], scale);
                        Arrays.fill(p, so + visible, so + bk, 0f);
                        Arrays.fill(dp, so + visible, so + bk, 0f);
                    }
                    // dV_blk += Pᵀ · dO_blk ; dQ_blk += dS · K_blk ; dK_blk += dSᵀ · Q_blk
                    Gemm.sgemm(bk, d, bq, p, 0, 1, bk, dOut.data, go + i0 * d, d, 1, g.dv().data, kg + j0 * d, d, true);
                    Gemm.sgemm(bq, d, bk, dp, 0, bk, 1, k.data, h.k() + j0 * k.strides[2], k.strides[2], 1,
                            g.dq().data, qg + i0 * d, d, true);
                    Gemm.sgemm(bk, d, bq, dp, 0, 1, bk, q.data, h.q() + i0 * q.strides[2], q.strides[2], 1,
                            g.dk().data, kg + j0 * d, d, true);
                }
            }
        }
    }
}
