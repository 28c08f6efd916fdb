package io.github.gptfromscratch.tensor.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The active kernels (vector on the default run) agree with {@link ScalarKernels} to a few ulp, on
 * every length from 0 to past several vector widths (so every tail length occurs), with NaN, ±∞ and
 * signed zeros mixed in.
 */
final class KernelAgreementTest {

    private static final long SEED = 8675309L;
    private static final int ULPS = 4;
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        100f, -100f, 1e-30f, -1e-30f, 88f, -88f, 20f, -20f,
        // the ends of exp's float range: overflow near 88.72, subnormal results below -87.3
        88.5f, 88.72f, 88.8f, -87.3f, -87.4f, -103f};

    private final Kernels active = Kernels.get();
    private final Kernels scalar = new ScalarKernels();

    private static float[] values(SplittableRandom random, int n, boolean specials) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * 3);
            if (specials && random.nextInt(5) == 0) {
                x[i] = SPECIAL[random.nextInt(SPECIAL.length)];
            }
        }
        return x;
    }

    /**
     * Equal within {@code ULPS} ulp of the larger magnitude, or both NaN, or equal infinities; below
     * the smallest normal float agreement is absolute (exp, tanh and log now agree bit for bit, see
     * {@link #expTanhAndTheirUsersGiveTheSameBitsInterpretedAndCompiled}), and {@code slack} covers
     * functions with cancellation.
     */
    private static void assertAgree(String what, float expected, float actual, float slack) {
        if (Float.isNaN(expected) || Float.isNaN(actual)) {
            assertTrue(Float.isNaN(expected) && Float.isNaN(actual), what + ": scalar " + expected + ", active " + actual);
            return;
        }
        if (Float.isInfinite(expected) || Float.isInfinite(actual)) {
            assertEquals(expected, actual, what);
            return;
        }
        float tol = Math.max(ULPS * Math.ulp(Math.max(Math.abs(expected), Math.abs(actual))),
                Math.max(Float.MIN_NORMAL, slack));
        assertEquals(expected, actual, tol, what);
    }

    @Test
    void unaryOpsAgree() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (UnaryOp op : UnaryOp.values()) {
            // 1+erf and 1−tanh² cancel for large |x|: agreement is absolute there, as float32 allows.
            float slack = op.name().startsWith("GELU") ? 1e-6f : 0f;
            for (int n = 0; n <= 70; n++) {
                float[] x = values(random, n, true);
                float[] expected = new float[n];
                float[] actual = new float[n + 3];
                scalar.unary(op, n, x, 0, expected, 0);
                active.unary(op, n, x, 0, actual, 3);
                for (int i = 0; i < n; i++) {
                    assertAgree(op + "(" + x[i] + ") n=" + n + " seed=" + SEED, expected[i], actual[i + 3], slack);
                }
                float[] inPlace = x.clone();
                active.unary(op, n, inPlace, 0, inPlace, 0);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToIntBits(actual[i + 3]), Float.floatToIntBits(inPlace[i]),
                            op + " in place at " + i + " n=" + n);
                }
            }
        }
    }

    /**
     * exp and tanh are one function each, not one per path and per JIT tier: the active kernel gives the bits of
     * {@link ScalarMath#exp} and {@link ScalarMath#tanh} in every lane and tail, on its first (interpreted) call as after thousands
     * of calls (compiled), and the functions built on it give the same bits before and after as well.
     * Without this, two training runs with the same seed drift apart in the last bits.
     */
    @Test
    void expTanhAndTheirUsersGiveTheSameBitsInterpretedAndCompiled() {
        int n = 1000; // not a multiple of any vector width: the tail is exercised too
        float[] x = values(new SplittableRandom(SEED + 7), n, true);
        for (int i = 0; i < SPECIAL.length; i++) {
            x[i] = SPECIAL[i];
        }
        for (int i = 0; i < 200; i++) { // a sweep across the whole float range of exp
            x[SPECIAL.length + i] = -110f + i * (200f / 199);
        }
        UnaryOp[] ops = {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU, UnaryOp.GELU_GRAD, UnaryOp.GELU_TANH,
            UnaryOp.GELU_TANH_GRAD, UnaryOp.LOG};
        float[][] first = new float[ops.length][n];
        float[] firstSoftmax = new float[n];
        float[] out = new float[n];
        for (int round = 0; round < 3000; round++) {
            for (int o = 0; o < ops.length; o++) {
                active.unary(ops[o], n, x, 0, out, 0);
                compareOrKeep(round, ops[o].name(), first[o], out);
            }
            active.expShiftSum(n, x, 0, 1.5f, out, 0);
            compareOrKeep(round, "expShiftSum", firstSoftmax, out);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(ScalarMath.exp(x[i])), Float.floatToRawIntBits(first[0][i]),
                    "exp(" + x[i] + ")");
            assertEquals(Float.floatToRawIntBits(ScalarMath.exp(x[i] - 1.5f)), Float.floatToRawIntBits(firstSoftmax[i]),
                    "exp(" + x[i] + " - 1.5)");
            assertEquals(Float.floatToRawIntBits(ScalarMath.tanh(x[i])), Float.floatToRawIntBits(first[1][i]),
                    "tanh(" + x[i] + ")");
            assertEquals(Float.floatToRawIntBits(ScalarMath.log(x[i])), Float.floatToRawIntBits(first[7][i]),
                    "log(" + x[i] + ")");
        }
    }

    /**
     * {@link ScalarMath#log} is within 1 ulp of float64 log on every 257th positive float, subnormals
     * included, and the active kernel gives its bits on all of them; the ends are exact.
     */
    @Test
    void logIsWithinOneUlpOfFloat64AndTheVectorLoopGivesTheSameBits() {
        int count = (0x7f800000 - 2) / 257 + 1; // bit patterns 1, 258, 515, ... all below +inf (0x7f800000)
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = Float.intBitsToFloat(1 + 257 * i);
        }
        float[] out = new float[count];
        active.unary(UnaryOp.LOG, count, x, 0, out, 0);
        double worst = 0;
        for (int i = 0; i < count; i++) {
            float expected = ScalarMath.log(x[i]);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[i]), "log(" + x[i] + ")");
            double exact = Math.log(x[i]);
            worst = Math.max(worst, Math.abs(expected - exact) / Math.ulp((float) exact));
        }
        assertTrue(worst <= 1.0, "worst error " + worst + " ulp");
        assertEquals(0f, ScalarMath.log(1f));
        assertEquals(Float.NEGATIVE_INFINITY, ScalarMath.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, ScalarMath.log(-0f));
        assertEquals(Float.POSITIVE_INFINITY, ScalarMath.log(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(ScalarMath.log(-1f)) && Float.isNaN(ScalarMath.log(Float.NaN)));
    }

    private static void compareOrKeep(int round, String what, float[] first, float[] out) {
        if (round == 0) {
            System.arraycopy(out, 0, first, 0, out.length);
            return;
        }
        for (int i = 0; i < out.length; i++) {
            if (Float.floatToRawIntBits(first[i]) != Float.floatToRawIntBits(out[i])) {
                assertEquals(first[i], out[i], what + " at " + i + " changed between call 1 and call " + (round + 1));
            }
        }
    }

    @Test
    void binaryOpsAgreeIncludingBroadcastScalars() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (BinaryOp op : BinaryOp.values()) {
            for (int n = 0; n <= 40; n++) {
                float[] a = values(random, n + 1, true);
                float[] b = values(random, n + 1, true);
                if (op == BinaryOp.POW) {
                    for (int i = 0; i < b.length; i++) {
                        b[i] = Math.round(b[i]); // integer powers keep negative bases real
                    }
                }
                for (int aStride = 0; aStride <= 1; aStride++) {
                    for (int bStride = 0; bStride <= 1; bStride++) {
                        float[] expected = new float[n];
                        float[] actual = new float[n];
                        scalar.binary(op, n, a, 1, aStride, b, 1, bStride, expected, 0);
                        active.binary(op, n, a, 1, aStride, b, 1, bStride, actual, 0);
                        for (int i = 0; i < n; i++) {
                            // g·GELU′(x): GELU′ has the same cancellation as in unaryOpsAgree, scaled by |g|.
                            float slack = op == BinaryOp.GELU_BACKWARD
                                    ? 1e-6f * Math.max(1f, Math.abs(a[1 + i * aStride])) : 0f;
                            assertAgree(op + " n=" + n + " strides " + aStride + "," + bStride + " i=" + i + " seed="
                                    + (SEED + 1), expected[i], actual[i], slack);
                        }
                    }
                }
            }
        }
    }

    @Test
    void adamWUpdateIsBitIdenticalOnBothPaths() {
        SplittableRandom random = new SplittableRandom(SEED + 3);
        for (int n = 0; n <= 70; n++) {
            float[] p = values(random, n, false);
            float[] g = values(random, n, false);
            float[] m = values(random, n, false);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) random.nextDouble();
            }
            float[][] expected = {p.clone(), m.clone(), v.clone()};
            float[][] actual = {p.clone(), m.clone(), v.clone()};
            scalar.adamW(n, expected[0], 0, g, 0, expected[1], expected[2], 0, 0.9999f, 0.9f, 0.99f, 1e-8f, 1e-3f, 1.5f);
            active.adamW(n, actual[0], 0, g, 0, actual[1], actual[2], 0, 0.9999f, 0.9f, 0.99f, 1e-8f, 1e-3f, 1.5f);
            for (int t = 0; t < 3; t++) {
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToIntBits(expected[t][i]), Float.floatToIntBits(actual[t][i]),
                            "adamW " + (t == 0 ? "param" : t == 1 ? "m" : "v") + "[" + i + "] n=" + n + " seed=" + (SEED + 3));
                }
            }
        }
    }

    @Test
    void reductionsAndSoftmaxBodyAgree() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int n = 0; n <= 100; n++) {
            float[] x = values(random, n + 2, false);
            float[] y = values(random, n + 2, false);
            double exactSum = 0;
            double absSum = 0;
            double exactDot = 0;
            double absDot = 0;
            for (int i = 2; i < n + 2; i++) {
                exactSum += x[i];
                absSum += Math.abs(x[i]);
                exactDot += (double) x[i] * y[i];
                absDot += Math.abs((double) x[i] * y[i]);
            }
            String at = " n=" + n + " seed=" + (SEED + 2);
            assertEquals(exactSum, active.sum(n, x, 2), 1e-6 * absSum + 1e-7, "sum" + at);
            assertEquals(exactDot, active.dot(n, x, 2, y, 2), 1e-6 * absDot + 1e-7, "dot" + at);
            assertEquals(scalar.max(n, x, 2), active.max(n, x, 2), "max" + at);
            float[] ys = y.clone();
            float[] ya = y.clone();
            scalar.axpy(n, 0.3f, x, 2, ys, 2);
            active.axpy(n, 0.3f, x, 2, ya, 2);
            for (int i = 0; i < ys.length; i++) {
                assertAgree("axpy" + at, ys[i], ya[i], 1e-6f);
            }
            float[] es = new float[n];
            float[] ea = new float[n];
            float ss = scalar.expShiftSum(n, x, 2, 1.5f, es, 0);
            float sa = active.expShiftSum(n, x, 2, 1.5f, ea, 0);
            assertEquals(ss, sa, 1e-5 * Math.abs(ss), "expShiftSum" + at);
            for (int i = 0; i < n; i++) {
                assertAgree("exp(x−shift)" + at, es[i], ea[i], 0f);
            }
        }
        float[] withNaN = {1, 2, 3, 4, 5, 6, 7, 8, 9, Float.NaN, 11, 12, 13, 14, 15, 16, 17};
        for (int at = 0; at < withNaN.length; at++) {
            float[] x = new float[withNaN.length];
            java.util.Arrays.fill(x, 1f);
            x[at] = Float.NaN;
            assertTrue(Float.isNaN(active.max(x.length, x, 0)), "max with NaN at " + at);
            assertTrue(Float.isNaN(scalar.max(x.length, x, 0)), "scalar max with NaN at " + at);
        }
        assertEquals(Float.NEGATIVE_INFINITY, active.max(0, withNaN, 0));
    }

    @Test
    void smallGemmAgreesWithFloat64OnEveryTileRemainder() {
        SplittableRandom random = new SplittableRandom(SEED + 4);
        for (int m = 1; m <= 9; m++) {
            for (int n = 1; n <= 40; n += random.nextInt(1, 4)) {
                int k = random.nextInt(0, 20);
                boolean transposedA = random.nextBoolean();
                boolean accumulate = random.nextBoolean();
                int lda = (transposedA ? m : k) + 3;
                int ldb = n + 2;
                int ldc = n + 1;
                float[] a = values(random, 1 + lda * Math.max(transposedA ? k : m, 1), false);
                float[] b = values(random, 2 + ldb * Math.max(k, 1), false);
                float[] c = values(random, ldc * m, false);
                float[] actual = c.clone();
                active.gemmSmall(m, n, k, a, 1, transposedA ? 1 : lda, transposedA ? lda : 1, b, 2, ldb,
                        actual, 0, ldc, accumulate);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double exact = accumulate ? c[i * ldc + j] : 0;
                        double abs = Math.abs(exact);
                        for (int p = 0; p < k; p++) {
                            double term = (double) a[1 + (transposedA ? i + p * lda : i * lda + p)] * b[2 + p * ldb + j];
                            exact += term;
                            abs += Math.abs(term);
                        }
                        assertEquals(exact, actual[i * ldc + j], 1e-6 * abs + 1e-7, "gemmSmall " + m + "x" + n + "x" + k
                                + (transposedA ? " Aᵀ" : "") + (accumulate ? " +=" : "") + " at " + i + "," + j
                                + " seed=" + (SEED + 4));
                    }
                    for (int j = n; j < ldc; j++) {
                        assertEquals(c[i * ldc + j], actual[i * ldc + j], "gemmSmall wrote past column " + n);
                    }
                }
            }
        }
    }
}
