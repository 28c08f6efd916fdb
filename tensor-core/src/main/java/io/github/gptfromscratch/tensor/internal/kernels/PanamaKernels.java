package io.github.gptfromscratch.tensor.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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

    @Override
    public void unary(UnaryOp op, int n, float[] x, int xOff, float[] out, int outOff) {
        // One small loop per function: a vector that crosses a call C2 does not inline is boxed and the
        // Vector API falls back to scalar Java, so no big switch may sit inside the loop.
        int done = switch (op) {
            case NEG -> map(FloatVector::neg, n, x, xOff, out, outOff);
            case ABS -> map(FloatVector::abs, n, x, xOff, out, outOff);
            case EXP -> exp(n, x, xOff, out, outOff);
            case LOG -> map(v -> v.lanewise(VectorOperators.LOG), n, x, xOff, out, outOff);
            case TANH -> tanh(n, x, xOff, out, outOff);
            case SQRT -> map(FloatVector::sqrt, n, x, xOff, out, outOff);
            case RELU -> map(v -> v.max(0f), n, x, xOff, out, outOff);
            case SIGMOID -> map(v -> recip(exp(v.neg()).add(1f)), n, x, xOff, out, outOff);
            case GELU -> gelu(n, x, xOff, out, outOff);
            case GELU_TANH -> map(v -> v.mul(0.5f).mul(tanh(tanhInner(v)).add(1f)), n, x, xOff, out, outOff);
            case GELU_GRAD -> geluGrad(n, x, xOff, out, outOff);
            case GELU_TANH_GRAD -> map(PanamaKernels::geluTanhGrad, n, x, xOff, out, outOff);
            case STEP -> map(v -> FloatVector.zero(F).blend(1f, v.compare(VectorOperators.GT, 0f)), n, x, xOff, out, outOff);
            case SQUARE -> map(v -> v.mul(v), n, x, xOff, out, outOff);
            case RECIPROCAL -> map(PanamaKernels::recip, n, x, xOff, out, outOff);
        };
        for (int i = done; i < n; i++) {
            out[outOff + i] = ScalarMath.apply(op, x[xOff + i]);
        }
    }

    // The hottest functions (softmax, attention, the GPT's MLP and its gradient) get loops of their own:
    // map()'s call site sees every function and goes megamorphic, which C2 may then not inline.

    private static int exp(int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            exp(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            tanh(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int gelu(int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            gelu(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int geluGrad(int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            geluGrad(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    /** A function of one vector, small enough to inline into {@link #map}. */
    @FunctionalInterface
    private interface VectorFunction {
        FloatVector apply(FloatVector v);
    }

    /** Applies {@code f} to whole vectors; returns how many elements it did (the caller does the tail). */
    private static int map(VectorFunction f, int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            f.apply(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static FloatVector gelu(FloatVector v) {
        FloatVector z = v.mul(ScalarMath.SQRT_HALF);
        return v.mul(0.5f).mul(erf(z, exp(z.mul(z).neg())).add(1f));
    }

    /** {@link ScalarMath#geluGrad}: Φ(x) + x·φ(x), one exponential for both. */
    private static FloatVector geluGrad(FloatVector v) {
        FloatVector z = v.mul(ScalarMath.SQRT_HALF);
        FloatVector e = exp(z.mul(z).neg());
        FloatVector cdf = erf(z, e).add(1f).mul(0.5f);
        return v.fma(e.mul(ScalarMath.INV_SQRT_2PI), cdf);
    }

    private static FloatVector geluTanhGrad(FloatVector v) {
        FloatVector th = tanh(tanhInner(v));
        FloatVector dInner = v.mul(v).mul(3f * ScalarMath.GELU_TANH_C).add(1f).mul(ScalarMath.SQRT_2_OVER_PI);
        FloatVector sech2 = th.fma(th.neg(), FloatVector.broadcast(F, 1f));
        return th.add(1f).mul(0.5f).add(v.mul(0.5f).mul(sech2).mul(dInner));
    }

    private static FloatVector recip(FloatVector v) {
        return FloatVector.broadcast(F, 1f).div(v);
    }

    private static FloatVector tanhInner(FloatVector v) {
        return v.mul(v).mul(ScalarMath.GELU_TANH_C).fma(v, v).mul(ScalarMath.SQRT_2_OVER_PI);
    }

    /**
     * {@link ScalarMath#exp} lane by lane, operation for operation, so every lane gives the bits the
     * scalar function gives, in the interpreter as after C2.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector shifted = x.fma(ScalarMath.LOG2_E, ScalarMath.ROUND_MAGIC);
        FloatVector n = shifted.sub(ScalarMath.ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(F, -ScalarMath.LN2_HI), x);
        r = n.fma(FloatVector.broadcast(F, -ScalarMath.LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, ScalarMath.INV_7_FACTORIAL)
                .fma(r, FloatVector.broadcast(F, ScalarMath.INV_6_FACTORIAL));
        p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_5_FACTORIAL));
        p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_4_FACTORIAL));
        p = p.fma(r, FloatVector.broadcast(F, ScalarMath.INV_3_FACTORIAL));
        p = p.fma(r, FloatVector.broadcast(F, 0.5f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        IntVector bits = shifted.reinterpretAsInts().sub(ScalarMath.ROUND_MAGIC_BITS);
        IntVector half = bits.lanewise(VectorOperators.ASHR, 1);
        FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scale2 = bits.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        // Outside [EXP_MIN, EXP_MAX] the bits above are garbage (or NaN for ±inf): the ends are set
        // afterwards, which is cheaper than clamping x with Java's NaN-aware min and max.
        return p.mul(scale1).mul(scale2)
                .blend(0f, x.compare(VectorOperators.LT, ScalarMath.EXP_MIN))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, ScalarMath.EXP_MAX));
    }

    /** {@link ScalarMath#tanh} lane by lane: both branches, then each lane keeps its own. */
    static FloatVector tanh(FloatVector x) {
        FloatVector x2 = x.mul(x);
        FloatVector q = FloatVector.broadcast(F, ScalarMath.TANH_C15).fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C13));
        q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C11));
        q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C9));
        q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C7));
        q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C5));
        q = q.fma(x2, FloatVector.broadcast(F, ScalarMath.TANH_C3));
        FloatVector series = x.mul(q.fma(x2, FloatVector.broadcast(F, 1f)));
        FloatVector a = x.abs();
        FloatVector u = exp(a.mul(-2f));
        FloatVector y = FloatVector.broadcast(F, 1f).sub(u).div(u.add(1f));
        y = y.blend(y.neg(), x.compare(VectorOperators.LT, 0f));
        return y.blend(series, a.compare(VectorOperators.LT, ScalarMath.TANH_SERIES_MAX));
    }

    /** The same Abramowitz & Stegun formula as {@link ScalarMath#erf(float, float)}, lane by lane. */
    private static FloatVector erf(FloatVector x, FloatVector expMinusXSquared) {
        FloatVector ax = x.abs();
        FloatVector t = recip(ax.fma(ScalarMath.ERF_P, 1f));
        FloatVector poly = t.mul(ScalarMath.ERF_A5).add(ScalarMath.ERF_A4)
                .fma(t, FloatVector.broadcast(F, ScalarMath.ERF_A3))
                .fma(t, FloatVector.broadcast(F, ScalarMath.ERF_A2))
                .fma(t, FloatVector.broadcast(F, ScalarMath.ERF_A1))
                .mul(t);
        FloatVector y = poly.fma(expMinusXSquared.neg(), FloatVector.broadcast(F, 1f));
        return y.blend(y.neg(), x.compare(VectorOperators.LT, 0f));
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
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, g, gOff + i).mul(geluGrad(FloatVector.fromArray(F, x, xOff + i)))
                    .intoArray(out, outOff + i);
        }
        return i;
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
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = exp(FloatVector.fromArray(F, x, xOff + i).sub(shift));
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
