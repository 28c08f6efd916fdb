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

    /** softmax(q·kᵀ/√d + causal mask)·v. */
    public static Forward forward(Tensor q0, Tensor k0, Tensor v0) {
        Dims dm = check(q0, k0, v0);
        Tensor q = unitLastStride(q0);
        Tensor k = unitLastStride(k0);
        Tensor v = unitLastStride(v0);
        Tensor out = Tensor.allocate(new int[] {dm.batch(), dm.heads(), dm.tq(), dm.d()});
        float[] lse = new float[dm.pairs() * dm.tq()];
        float scale = (float) (1.0 / Math.sqrt(dm.d()));
        Kernels kern = Kernels.get();
        long cost = 2L * dm.tq() * dm.tk() * dm.d();
        Parallel.forRange(dm.pairs(), cost, (start, end) -> {
            float[] s = new float[BLOCK * BLOCK];
            float[] rowMax = new float[BLOCK];
            float[] rowSum = new float[BLOCK];
            for (int pair = start; pair < end; pair++) {
                int qo = pairOffset(q, pair, dm.heads());
                int ko = pairOffset(k, pair, dm.heads());
                int vo = pairOffset(v, pair, dm.heads());
                int oo = pair * dm.tq() * dm.d();
                for (int i0 = 0; i0 < dm.tq(); i0 += BLOCK) {
                    int bq = Math.min(BLOCK, dm.tq() - i0);
                    Arrays.fill(rowMax, Float.NEGATIVE_INFINITY);
                    Arrays.fill(rowSum, 0f);
                    int lastKey = i0 + bq - 1 + dm.shift(); // the last key any row of this block sees
                    for (int j0 = 0; j0 <= lastKey; j0 += BLOCK) {
                        int bk = Math.min(BLOCK, Math.min(dm.tk(), lastKey + 1) - j0);
                        // S = Q_blk · K_blkᵀ (K read transposed through its strides)
                        Gemm.sgemm(bq, bk, dm.d(), q.data, qo + i0 * q.strides[2], q.strides[2], 1,
                                k.data, ko + j0 * k.strides[2], 1, k.strides[2], s, 0, bk, false);
                        for (int r = 0; r < bq; r++) {
                            int visible = Math.min(bk, i0 + r + dm.shift() - j0 + 1); // causal cut within the block
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
                        Gemm.sgemm(bq, dm.d(), bk, s, 0, bk, 1, v.data, vo + j0 * v.strides[2], v.strides[2], 1,
                                out.data, oo + i0 * dm.d(), dm.d(), j0 > 0);
                    }
                    for (int r = 0; r < bq; r++) {
                        kern.scale(dm.d(), 1f / rowSum[r], out.data, oo + (i0 + r) * dm.d());
                        lse[pair * dm.tq() + i0 + r] = rowMax[r] + (float) Math.log(rowSum[r]);
                    }
                }
            }
        });
        return new Forward(out, lse);
    }

    /** Gradients of the attention output with respect to q, k and v, given {@code dOut}. */
    public static Gradients backward(Tensor q0, Tensor k0, Tensor v0, Forward fwd, Tensor dOut0) {
        Dims dm = check(q0, k0, v0);
        Tensor q = unitLastStride(q0);
        Tensor k = unitLastStride(k0);
        Tensor v = unitLastStride(v0);
        Tensor dOut = dOut0.contiguous();
        Tensor out = fwd.output();
        int d = dm.d();
        Tensor dq = Tensor.allocate(q.shape);
        Tensor dk = Tensor.allocate(k.shape);
        Tensor dv = Tensor.allocate(v.shape);
        float scale = (float) (1.0 / Math.sqrt(d));
        Kernels kern = Kernels.get();
        long cost = 5L * dm.tq() * dm.tk() * d;
        Parallel.forRange(dm.pairs(), cost, (start, end) -> {
            float[] p = new float[BLOCK * BLOCK];
            float[] dp = new float[BLOCK * BLOCK];
            float[] rowDot = new float[dm.tq()];
            for (int pair = start; pair < end; pair++) {
                int qo = pairOffset(q, pair, dm.heads());
                int ko = pairOffset(k, pair, dm.heads());
                int vo = pairOffset(v, pair, dm.heads());
                int go = dOut.offset + pair * dm.tq() * d;
                int oo = pair * dm.tq() * d;
                int qg = pair * dm.tq() * d;
                int kg = pair * dm.tk() * d;
                for (int r = 0; r < dm.tq(); r++) { // D_i = dO_i · O_i
                    rowDot[r] = kern.dot(d, dOut.data, go + r * d, out.data, oo + r * d);
                }
                for (int j0 = 0; j0 < dm.tk(); j0 += BLOCK) {
                    int bk = Math.min(BLOCK, dm.tk() - j0);
                    int firstQuery = Math.max(0, j0 - dm.shift()); // queries before it see none of these keys
                    for (int i0 = (firstQuery / BLOCK) * BLOCK; i0 < dm.tq(); i0 += BLOCK) {
                        int bq = Math.min(BLOCK, dm.tq() - i0);
                        Gemm.sgemm(bq, bk, d, q.data, qo + i0 * q.strides[2], q.strides[2], 1,
                                k.data, ko + j0 * k.strides[2], 1, k.strides[2], p, 0, bk, false);
                        for (int r = 0; r < bq; r++) { // P = exp(S·scale − lse), zero where masked
                            int visible = Math.max(0, Math.min(bk, i0 + r + dm.shift() - j0 + 1));
                            int so = r * bk;
                            float l = fwd.logSumExp()[pair * dm.tq() + i0 + r];
                            kern.scale(visible, scale, p, so);
                            kern.expShiftSum(visible, p, so, l, p, so);
                            Arrays.fill(p, so + visible, so + bk, 0f);
                        }
                        // dV_blk += Pᵀ · dO_blk
                        Gemm.sgemm(bk, d, bq, p, 0, 1, bk, dOut.data, go + i0 * d, d, 1, dv.data, kg + j0 * d, d, true);
                        // dP = dO_blk · V_blkᵀ
                        Gemm.sgemm(bq, bk, d, dOut.data, go + i0 * d, d, 1, v.data, vo + j0 * v.strides[2], 1,
                                v.strides[2], dp, 0, bk, false);
                        for (int r = 0; r < bq; r++) { // dS = P ⊙ (dP − D) · scale
                            int so = r * bk;
                            float dr = rowDot[i0 + r];
                            for (int c = 0; c < bk; c++) {
                                dp[so + c] = p[so + c] * (dp[so + c] - dr) * scale;
                            }
                        }
                        // dQ_blk += dS · K_blk ; dK_blk += dSᵀ · Q_blk
                        Gemm.sgemm(bq, d, bk, dp, 0, bk, 1, k.data, ko + j0 * k.strides[2], k.strides[2], 1,
                                dq.data, qg + i0 * d, d, true);
                        Gemm.sgemm(bk, d, bq, dp, 0, 1, bk, q.data, qo + i0 * q.strides[2], q.strides[2], 1,
                                dk.data, kg + j0 * d, d, true);
                    }
                }
            }
        });
        return new Gradients(dq, dk, dv);
    }
}
