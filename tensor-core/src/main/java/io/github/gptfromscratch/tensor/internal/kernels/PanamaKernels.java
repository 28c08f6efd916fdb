package io.github.gptfromscratch.tensor.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels: loops over whole vectors with several accumulators, then a scalar tail that
 * uses {@link ScalarMath}, so both paths define the same function.
 */
public final class PanamaKernels implements Kernels {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Tails shorter than a vector. */
    private static final ScalarKernels SCALAR = new ScalarKernels();
    /** gemmSmall's main tile: the GEMM micro-kernel of four rows by two vectors, reading B in place. */
    private static final PanamaGemmKernel4x2 TILE_4X2 = new PanamaGemmKernel4x2();
    private static final int L = F.length();

    /** Loaded reflectively by {@link KernelProvider}. */
    public PanamaKernels() {
        if (F.vectorBitSize() < 256) {
            throw new UnsupportedOperationException("preferred float vectors are " + F.vectorBitSize() + "-bit");
        }
    }

    @Override
    public String name() {
        return "vector (" + F.vectorBitSize() + "-bit)";
    }

    @Override
    public boolean vectorized() {
        return true;
    }

    @Override
    public float dot(int n, float[] a, int aOff, float[] b, int bOff) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int i = 0;
        for (; i + 4 * L <= n; i += 4 * L) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOff + i + L).fma(FloatVector.fromArray(F, b, bOff + i + L), acc1);
            acc2 = FloatVector.fromArray(F, a, aOff + i + 2 * L).fma(FloatVector.fromArray(F, b, bOff + i + 2 * L), acc2);
            acc3 = FloatVector.fromArray(F, a, aOff + i + 3 * L).fma(FloatVector.fromArray(F, b, bOff + i + 3 * L), acc3);
        }
        for (; i + L <= n; i += L) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
        }
        float s = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public float sum(int n, float[] x, int off) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(F, x, off + i));
            acc1 = acc1.add(FloatVector.fromArray(F, x, off + i + L));
        }
        for (; i + L <= n; i += L) {
            acc0 = acc0.add(FloatVector.fromArray(F, x, off + i));
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    @Override
    public float max(int n, float[] x, int off) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i + L <= n; i += L) {
            acc = acc.max(FloatVector.fromArray(F, x, off + i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int off) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, x, off + i).mul(alpha).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= alpha;
        }
    }

    /**
     * Every loop here calls nothing but the Vector API's own methods, which the JDK forces C2 to inline.
     * A method of ours that takes or returns a vector is inlined only when C2 decides to, and when it does
     * not, every vector crossing the call is boxed: the loop allocates and runs several times slower.
     * Which of the two happened depended on the order in which methods got hot (a helper compiled on its
     * own first is "already compiled into a big method" for later callers; a long loop body reaches the
     * node-count cutoff): the GPT's GELU ran at 0.43 ns per element in a micro-benchmark and boxed, several
     * times slower, inside training. So e^x, erf and tanh are written out in each loop that needs them
     * (softmax's {@link #expShiftSum}, tanh, and GELU with its gradient: the same operations as
     * {@link ScalarMath}'s, in the same order, so every path gives the same bits); rarer compositions (the
     * tanh form of GELU, the sigmoid) run as stages through a per-thread scratch.
     */
    @Override
    public void unary(UnaryOp op, int n, float[] x, int xOff, float[] out, int outOff) {
        if (op == UnaryOp.EXP) {
            expShiftSum(n, x, xOff, 0f, out, outOff); // x − 0 is x, bit for bit
            return;
        }
        int whole = n - n % L;
        switch (op) {
            case NEG -> neg(whole, x, xOff, out, outOff);
            case ABS -> abs(whole, x, xOff, out, outOff);
            case LOG -> log(whole, x, xOff, out, outOff);
            case SQRT -> sqrt(whole, x, xOff, out, outOff);
            case RELU -> relu(whole, x, xOff, out, outOff);
            case STEP -> step(whole, x, xOff, out, outOff);
            case SQUARE -> square(whole, x, xOff, out, outOff);
            case RECIPROCAL -> reciprocal(whole, x, xOff, out, outOff);
            case TANH -> tanh(whole, x, xOff, out, outOff);
            case GELU -> gelu(false, whole, x, xOff, null, 0, out, outOff);
            case GELU_GRAD -> gelu(true, whole, x, xOff, null, 0, out, outOff);
            case SIGMOID, GELU_TANH, GELU_TANH_GRAD -> staged(op, whole, x, xOff, out, outOff);
            default -> throw new IllegalArgumentException("unary: no vector loop for " + op);
        }
        for (int i = whole; i < n; i++) {
            out[outOff + i] = ScalarMath.apply(op, x[xOff + i]);
        }
    }

    private static void neg(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            FloatVector.fromArray(F, x, xOff + i).neg().intoArray(out, outOff + i);
        }
    }

    private static void abs(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            FloatVector.fromArray(F, x, xOff + i).abs().intoArray(out, outOff + i);
        }
    }

    /**
     * {@link ScalarMath#log} lane by lane, operation for operation (the Vector API's own LOG rounds
     * differently before and after C2 compiles the loop); zero, negative, NaN and infinite lanes are set
     * by blends at the end.
     */
    private static void log(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            VectorMask<Float> subnormal = v.compare(VectorOperators.LT, Float.MIN_NORMAL);
            IntVector bits = v.blend(v.mul(0x1p23f), subnormal).reinterpretAsInts();
            FloatVector k = (FloatVector) bits.lanewise(VectorOperators.ASHR, 23).sub(127)
                    .convert(VectorOperators.I2F, 0);
            k = k.blend(k.sub(23f), subnormal);
            FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats();
            VectorMask<Float> aboveSqrt2 = m.compare(VectorOperators.GT, Float.intBitsToFloat(ScalarMath.SQRT2_BITS));
            m = m.blend(m.mul(0.5f), aboveSqrt2);
            k = k.blend(k.add(1f), aboveSqrt2);
            FloatVector f = m.sub(1f);
            FloatVector s = f.div(f.add(2f));
            FloatVector z = s.mul(s);
            FloatVector r = FloatVector.broadcast(F, ScalarMath.LOG_C11).fma(z, FloatVector.broadcast(F, ScalarMath.LOG_C9))
                    .fma(z, FloatVector.broadcast(F, ScalarMath.LOG_C7))
                    .fma(z, FloatVector.broadcast(F, ScalarMath.LOG_C5))
                    .fma(z, FloatVector.broadcast(F, ScalarMath.LOG_C3))
                    .mul(z);
            FloatVector hfsq = f.mul(0.5f).mul(f);
            FloatVector t = hfsq.sub(s.fma(hfsq.add(r), k.mul(ScalarMath.LOG_LN2_LO))).sub(f);
            k.fma(FloatVector.broadcast(F, ScalarMath.LOG_LN2_HI), t.neg())
                    .blend(Float.NaN, v.compare(VectorOperators.GE, 0f).not())
                    .blend(Float.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0f))
                    .blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY))
                    .intoArray(out, outOff + i);
        }
    }

    private static void sqrt(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            FloatVector.fromArray(F, x, xOff + i).sqrt().intoArray(out, outOff + i);
        }
    }

    private static void relu(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            FloatVector.fromArray(F, x, xOff + i).max(0f).intoArray(out, outOff + i);
        }
    }

    private static void step(int n, float[] x, int xOff, float[] out, int outOff) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L) {
            zero.blend(1f, FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GT, 0f))
                    .intoArray(out, outOff + i);
        }
    }

    private static void square(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.mul(v).intoArray(out, outOff + i);
        }
    }

    private static void reciprocal(int n, float[] x, int xOff, float[] out, int outOff) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            one.div(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
    }

    /**
     * {@link ScalarMath#tanh} lane by lane over {@code n} elements (whole vectors): both branches, each lane
     * keeping its own. x and out may be the same elements.
     */
    private static void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            FloatVector x0 = FloatVector.fromArray(F, x, xOff + i);
            FloatVector x2 = x0.mul(x0);
            FloatVector q = FloatVector.broadcast(F, ScalarMath.TANH_C15)
                    .fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C13));
            q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C11));
            q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C9));
            q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C7));
            q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C5));
            q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C3));
            FloatVector series = x0.mul(q.fma(x2, one));
            FloatVector a = x0.abs();
            FloatVector v = a.mul(-2f);
            FloatVector shifted = v.fma(ScalarMath.LOG2_E, ScalarMath.ROUND_MAGIC);
            FloatVector k = shifted.sub(ScalarMath.ROUND_MAGIC);
            FloatVector r = k.fma(FloatVector.broadcast(F, -ScalarMath.LN2_HI), v);
            r = k.fma(FloatVector.broadcast(F, -ScalarMath.LN2_LO), r);
            FloatVector p = FloatVector.broadcast(F, ScalarMath.INV_7_FACTORIAL)
                    .fma(r, FloatVector.broadcast(F, ScalarMath.INV_6_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_5_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_4_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_3_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, 0.5f));
            p = p.fma(r, one);
            p = p.fma(r, one);
            IntVector bits = shifted.reinterpretAsInts().sub(ScalarMath.ROUND_MAGIC_BITS);
            IntVector half = bits.lanewise(VectorOperators.ASHR, 1);
            FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector scale2 = bits.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(scale1).mul(scale2)
                    .blend(0f, v.compare(VectorOperators.LT, ScalarMath.EXP_MIN))
                    .blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.GT, ScalarMath.EXP_MAX));
            FloatVector y = one.sub(e).div(e.add(1f));
            y = y.blend(y.neg(), x0.compare(VectorOperators.LT, 0f));
            y.blend(series, a.compare(VectorOperators.LT, ScalarMath.TANH_SERIES_MAX)).intoArray(out, outOff + i);
        }
    }

    /**
     * x·Φ(x) = x/2·(1 + erf(x/√2)) or, with {@code gradient}, {@link ScalarMath#geluGrad}'s Φ(x) + x·φ(x)
     * (the exponential serves both), times g when {@code g} is given (GELU's backward), over {@code n}
     * elements (whole vectors). One loop for both: they share e^(−x²/2) and erf, and the branches only
     * choose what is stored. out may be x or g.
     */
    private static void gelu(boolean gradient, int n, float[] x, int xOff, float[] g, int gOff, float[] out,
                             int outOff) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            FloatVector x0 = FloatVector.fromArray(F, x, xOff + i);
            FloatVector z = x0.mul(ScalarMath.SQRT_HALF);
            FloatVector v = z.mul(z).neg();
            FloatVector shifted = v.fma(ScalarMath.LOG2_E, ScalarMath.ROUND_MAGIC);
            FloatVector k = shifted.sub(ScalarMath.ROUND_MAGIC);
            FloatVector r = k.fma(FloatVector.broadcast(F, -ScalarMath.LN2_HI), v);
            r = k.fma(FloatVector.broadcast(F, -ScalarMath.LN2_LO), r);
            FloatVector p = FloatVector.broadcast(F, ScalarMath.INV_7_FACTORIAL)
                    .fma(r, FloatVector.broadcast(F, ScalarMath.INV_6_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_5_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_4_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_3_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, 0.5f));
            p = p.fma(r, one);
            p = p.fma(r, one);
            IntVector bits = shifted.reinterpretAsInts().sub(ScalarMath.ROUND_MAGIC_BITS);
            IntVector half = bits.lanewise(VectorOperators.ASHR, 1);
            FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector scale2 = bits.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(scale1).mul(scale2)
                    .blend(0f, v.compare(VectorOperators.LT, ScalarMath.EXP_MIN))
                    .blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.GT, ScalarMath.EXP_MAX));
            FloatVector t = one.div(z.abs().fma(ScalarMath.ERF_P, 1f));
            FloatVector poly = t.mul(ScalarMath.ERF_A5).add(ScalarMath.ERF_A4)
                    .fma(t, FloatVector.broadcast(F, ScalarMath.ERF_A3))
                    .fma(t, FloatVector.broadcast(F, ScalarMath.ERF_A2))
                    .fma(t, FloatVector.broadcast(F, ScalarMath.ERF_A1))
                    .mul(t);
            FloatVector y = poly.fma(e.neg(), one);
            FloatVector erf = y.blend(y.neg(), z.compare(VectorOperators.LT, 0f));
            if (!gradient) {
                x0.mul(0.5f).mul(erf.add(1f)).intoArray(out, outOff + i);
                continue;
            }
            FloatVector grad = x0.fma(e.mul(ScalarMath.INV_SQRT_2PI), erf.add(1f).mul(0.5f));
            if (g == null) {
                grad.intoArray(out, outOff + i);
            } else {
                FloatVector.fromArray(F, g, gOff + i).mul(grad).intoArray(out, outOff + i);
            }
        }
    }


    /** Elements per stage of {@link #staged}: 1 KiB of scratch, a multiple of every vector length. */
    private static final int CHUNK = 256;

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);

    /**
     * The sigmoid, 1/(1 + e^(−x)), and the tanh form of GELU, x/2·(1 + tanh(u)) with
     * u = √(2/π)·(x + 0.044715·x³), or its derivative, over {@code n} elements (whole vectors), chunk by
     * chunk: the argument of e^x or tanh into the scratch, that function in place, then the result. Each
     * stage reads an element of x before it writes the same element of out, so out may be x.
     */
    private void staged(UnaryOp op, int n, float[] x, int xOff, float[] out, int outOff) {
        float[] s = SCRATCH.get();
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int c = 0; c < n; c += CHUNK) {
            int len = Math.min(CHUNK, n - c);
            int xc = xOff + c;
            int oc = outOff + c;
            if (op == UnaryOp.SIGMOID) {
                for (int i = 0; i < len; i += L) {
                    FloatVector.fromArray(F, x, xc + i).neg().intoArray(s, i);
                }
                expShiftSum(len, s, 0, 0f, s, 0);
                for (int i = 0; i < len; i += L) {
                    one.div(FloatVector.fromArray(F, s, i).add(1f)).intoArray(out, oc + i);
                }
                continue;
            }
            for (int i = 0; i < len; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xc + i);
                v.mul(v).mul(ScalarMath.GELU_TANH_C).fma(v, v).mul(ScalarMath.SQRT_2_OVER_PI).intoArray(s, i);
            }
            tanh(len, s, 0, s, 0);
            for (int i = 0; i < len; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xc + i);
                FloatVector th = FloatVector.fromArray(F, s, i);
                if (op == UnaryOp.GELU_TANH) {
                    v.mul(0.5f).mul(th.add(1f)).intoArray(out, oc + i);
                } else {
                    FloatVector dInner = v.mul(v).mul(3f * ScalarMath.GELU_TANH_C).add(1f)
                            .mul(ScalarMath.SQRT_2_OVER_PI);
                    FloatVector sech2 = th.fma(th.neg(), one);
                    th.add(1f).mul(0.5f).add(v.mul(0.5f).mul(sech2).mul(dInner)).intoArray(out, oc + i);
                }
            }
        }
    }

    @Override
    public void binary(BinaryOp op, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff) {
        int i = 0;
        // Arithmetic on a contiguous left operand gets vector loops (see arithmetic()); the rest —
        // comparisons, POW, a broadcast left operand — is rare and stays scalar. n >= L first: a run too
        // short for one vector must not read a broadcast operand it never uses.
        if (n >= L && aStride == 1 && (bStride == 0 || bStride == 1)) {
            i = arithmetic(op, n, a, aOff, b, bOff, bStride, out, outOff);
        }
        for (; i < n; i++) {
            out[outOff + i] = ScalarMath.apply(op, a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    /**
     * a (contiguous) op b (contiguous, or a broadcast scalar when {@code bStride == 0}). Each function has
     * its own loop with a constant operator: a loop shared by several functions makes its call site
     * megamorphic, C2 stops inlining it, and the Vector API falls back to scalar Java (ten times slower).
     */
    private static int arithmetic(BinaryOp op, int n, float[] a, int aOff, float[] b, int bOff, int bStride,
                                  float[] out, int outOff) {
        return switch (op) {
            case ADD -> bStride == 0 ? addScalar(n, a, aOff, b[bOff], out, outOff) : add(n, a, aOff, b, bOff, out, outOff);
            case SUB -> bStride == 0 ? addScalar(n, a, aOff, -b[bOff], out, outOff) : sub(n, a, aOff, b, bOff, out, outOff);
            case MUL -> bStride == 0 ? mulScalar(n, a, aOff, b[bOff], out, outOff) : mul(n, a, aOff, b, bOff, out, outOff);
            case DIV -> bStride == 0 ? 0 : div(n, a, aOff, b, bOff, out, outOff); // x/c is not x·(1/c) exactly
            case MAX -> bStride == 0 ? maxScalar(n, a, aOff, b[bOff], out, outOff) : max(n, a, aOff, b, bOff, out, outOff);
            case TANH_BACKWARD -> bStride == 0 ? 0 : tanhBackward(n, a, aOff, b, bOff, out, outOff);
            case GELU_BACKWARD -> bStride == 0 ? 0 : geluBackward(n, a, aOff, b, bOff, out, outOff);
            default -> 0;
        };
    }

    private static int add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int sub(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int div(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, a, aOff + i).div(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int max(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, a, aOff + i).max(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int tanhBackward(int n, float[] g, int gOff, float[] y, int yOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector yv = FloatVector.fromArray(F, y, yOff + i);
            FloatVector.fromArray(F, g, gOff + i).mul(yv.mul(yv).neg().add(1f)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int geluBackward(int n, float[] g, int gOff, float[] x, int xOff, float[] out, int outOff) {
        int whole = n - n % L;
        gelu(true, whole, x, xOff, g, gOff, out, outOff);
        return whole;
    }

    private static int addScalar(int n, float[] a, int aOff, float c, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, a, aOff + i).add(c).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int mulScalar(int n, float[] a, int aOff, float c, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, a, aOff + i).mul(c).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int maxScalar(int n, float[] a, int aOff, float c, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, a, aOff + i).max(c).intoArray(out, outOff + i);
        }
        return i;
    }

    /**
     * Blocks of four rows by two vectors (eight accumulators: each broadcast A value feeds two FMAs and
     * each B vector four), then one vector at a time; the last rows go one by one and the columns past
     * the last whole vector to the scalar loop. Each tile is one method with nothing called inside its
     * k loop, so that C2 keeps the vector intrinsics inlined.
     */
    @Override
    public void gemmSmall(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                          float[] b, int bOff, int bRowStride, float[] c, int cOff, int cRowStride,
                          boolean accumulate) {
        int vectorCols = n - n % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int aRow = aOff + i * aRowStride;
            int cRow = cOff + i * cRowStride;
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                TILE_4X2.multiply(k, a, aRow, aRowStride, aColStride, b, bOff + j, bRowStride, c, cRow + j,
                        cRowStride, accumulate);
            }
            if (j < vectorCols) {
                tile4x1(k, a, aRow, aRowStride, aColStride, b, bOff + j, bRowStride, c, cRow + j, cRowStride,
                        accumulate);
            }
        }
        for (; i < m; i++) {
            int aRow = aOff + i * aRowStride;
            int cRow = cOff + i * cRowStride;
            for (int j = 0; j < vectorCols; j += L) {
                tile1x1(k, a, aRow, aColStride, b, bOff + j, bRowStride, c, cRow + j, accumulate);
            }
        }
        if (vectorCols < n) {
            SCALAR.gemmSmall(m, n - vectorCols, k, a, aOff, aRowStride, aColStride, b, bOff + vectorCols, bRowStride,
                    c, cOff + vectorCols, cRowStride, accumulate);
        }
    }

    private static void tile4x1(int k, float[] a, int a0, int aRowStride, int aColStride, float[] b, int bIdx,
                                int bRowStride, float[] c, int cIdx, int cRowStride, boolean accumulate) {
        int r1 = cIdx + cRowStride;
        int r2 = cIdx + 2 * cRowStride;
        int r3 = cIdx + 3 * cRowStride;
        FloatVector c0, c1, c2, c3;
        if (accumulate) {
            c0 = FloatVector.fromArray(F, c, cIdx);
            c1 = FloatVector.fromArray(F, c, r1);
            c2 = FloatVector.fromArray(F, c, r2);
            c3 = FloatVector.fromArray(F, c, r3);
        } else {
            c0 = FloatVector.zero(F);
            c1 = c0; c2 = c0; c3 = c0;
        }
        int a1 = a0 + aRowStride;
        int a2 = a0 + 2 * aRowStride;
        int a3 = a0 + 3 * aRowStride;
        int bi = bIdx;
        for (int p = 0; p < k; p++, bi += bRowStride) {
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            c0 = FloatVector.broadcast(F, a[a0]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, a[a1]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, a[a2]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, a[a3]).fma(b0, c3);
            a0 += aColStride; a1 += aColStride; a2 += aColStride; a3 += aColStride;
        }
        c0.intoArray(c, cIdx);
        c1.intoArray(c, r1);
        c2.intoArray(c, r2);
        c3.intoArray(c, r3);
    }

    private static void tile1x1(int k, float[] a, int a0, int aColStride, float[] b, int bIdx, int bRowStride,
                                float[] c, int cIdx, boolean accumulate) {
        FloatVector c0 = accumulate ? FloatVector.fromArray(F, c, cIdx) : FloatVector.zero(F);
        int bi = bIdx;
        for (int p = 0; p < k; p++, bi += bRowStride, a0 += aColStride) {
            c0 = FloatVector.broadcast(F, a[a0]).fma(FloatVector.fromArray(F, b, bi), c0);
        }
        c0.intoArray(c, cIdx);
    }

    @Override
    public float expShiftSum(int n, float[] x, int xOff, float shift, float[] out, int outOff) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i).sub(shift);
            FloatVector shifted = v.fma(ScalarMath.LOG2_E, ScalarMath.ROUND_MAGIC);
            FloatVector k = shifted.sub(ScalarMath.ROUND_MAGIC);
            FloatVector r = k.fma(FloatVector.broadcast(F, -ScalarMath.LN2_HI), v);
            r = k.fma(FloatVector.broadcast(F, -ScalarMath.LN2_LO), r);
            FloatVector p = FloatVector.broadcast(F, ScalarMath.INV_7_FACTORIAL)
                    .fma(r, FloatVector.broadcast(F, ScalarMath.INV_6_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_5_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_4_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_3_FACTORIAL));
            p = p.fma(r, FloatVector.broadcast(F, 0.5f));
            p = p.fma(r, one);
            p = p.fma(r, one);
            IntVector bits = shifted.reinterpretAsInts().sub(ScalarMath.ROUND_MAGIC_BITS);
            IntVector half = bits.lanewise(VectorOperators.ASHR, 1);
            FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector scale2 = bits.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            // Outside [EXP_MIN, EXP_MAX] the bits above are garbage (or NaN for ±inf): the ends are set
            // afterwards, which is cheaper than clamping x with Java's NaN-aware min and max.
            FloatVector e = p.mul(scale1).mul(scale2)
                    .blend(0f, v.compare(VectorOperators.LT, ScalarMath.EXP_MIN))
                    .blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.GT, ScalarMath.EXP_MAX));
            e.intoArray(out, outOff + i);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = ScalarMath.exp(x[xOff + i] - shift);
            out[outOff + i] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public void adamW(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int mvOff, float decay,
                      float beta1, float beta2, float eps, float stepSize, float invSqrtBc2) {
        // The same operations in the same order as the scalar loop, so both paths agree bit for bit
        // (no FMA contraction: a·b + c is mul then add here as there).
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i);
            FloatVector mi = FloatVector.fromArray(F, m, mvOff + i).mul(beta1).add(gi.mul(1 - beta1));
            FloatVector vi = FloatVector.fromArray(F, v, mvOff + i).mul(beta2).add(gi.mul(1 - beta2).mul(gi));
            mi.intoArray(m, mvOff + i);
            vi.intoArray(v, mvOff + i);
            FloatVector denom = vi.sqrt().mul(invSqrtBc2).add(eps);
            FloatVector.fromArray(F, p, pOff + i).mul(decay).sub(mi.mul(stepSize).div(denom)).intoArray(p, pOff + i);
        }
        SCALAR.adamW(n - i, p, pOff + i, g, gOff + i, m, v, mvOff + i, decay, beta1, beta2, eps, stepSize, invSqrtBc2);
    }
}
