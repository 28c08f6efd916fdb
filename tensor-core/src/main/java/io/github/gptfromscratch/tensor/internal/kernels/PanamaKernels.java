package io.github.gptfromscratch.tensor.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels: loops over whole vectors with several accumulators, then a scalar tail that
 * uses {@link ScalarMath}, so both paths define the same function.
 */
public final class PanamaKernels implements Kernels {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
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
        int i = 0;
        for (; i + L <= n; i += L) {
            apply(op, FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = ScalarMath.apply(op, x[xOff + i]);
        }
    }

    private static FloatVector apply(UnaryOp op, FloatVector v) {
        return switch (op) {
            case NEG -> v.neg();
            case ABS -> v.abs();
            case EXP -> v.lanewise(VectorOperators.EXP);
            case LOG -> v.lanewise(VectorOperators.LOG);
            case TANH -> v.lanewise(VectorOperators.TANH);
            case SQRT -> v.sqrt();
            case RELU -> v.max(0f);
            case SIGMOID -> recip(v.neg().lanewise(VectorOperators.EXP).add(1f));
            case GELU -> v.mul(0.5f).mul(erf(v.mul(ScalarMath.SQRT_HALF)).add(1f));
            case GELU_TANH -> v.mul(0.5f).mul(tanhInner(v).lanewise(VectorOperators.TANH).add(1f));
            case GELU_GRAD -> {
                FloatVector cdf = erf(v.mul(ScalarMath.SQRT_HALF)).add(1f).mul(0.5f);
                FloatVector pdf = v.mul(v).mul(-0.5f).lanewise(VectorOperators.EXP).mul(ScalarMath.INV_SQRT_2PI);
                yield v.fma(pdf, cdf);
            }
            case GELU_TANH_GRAD -> {
                FloatVector th = tanhInner(v).lanewise(VectorOperators.TANH);
                FloatVector dInner = v.mul(v).mul(3f * ScalarMath.GELU_TANH_C).add(1f).mul(ScalarMath.SQRT_2_OVER_PI);
                FloatVector sech2 = th.fma(th.neg(), FloatVector.broadcast(F, 1f));
                yield th.add(1f).mul(0.5f).add(v.mul(0.5f).mul(sech2).mul(dInner));
            }
            case STEP -> FloatVector.zero(F).blend(1f, v.compare(VectorOperators.GT, 0f));
            case SQUARE -> v.mul(v);
            case RECIPROCAL -> recip(v);
        };
    }

    private static FloatVector recip(FloatVector v) {
        return FloatVector.broadcast(F, 1f).div(v);
    }

    private static FloatVector tanhInner(FloatVector v) {
        return v.mul(v).mul(ScalarMath.GELU_TANH_C).fma(v, v).mul(ScalarMath.SQRT_2_OVER_PI);
    }

    /** The same Abramowitz & Stegun formula as {@link ScalarMath#erf}, lane by lane. */
    private static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector t = recip(ax.fma(ScalarMath.ERF_P, 1f));
        FloatVector poly = t.fma(ScalarMath.ERF_A5, ScalarMath.ERF_A4)
                .fma(t, FloatVector.broadcast(F, ScalarMath.ERF_A3))
                .fma(t, FloatVector.broadcast(F, ScalarMath.ERF_A2))
                .fma(t, FloatVector.broadcast(F, ScalarMath.ERF_A1))
                .mul(t);
        FloatVector e = ax.mul(ax).neg().lanewise(VectorOperators.EXP);
        FloatVector y = poly.fma(e.neg(), FloatVector.broadcast(F, 1f));
        VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
        return y.blend(y.neg(), negative);
    }

    @Override
    public void binary(BinaryOp op, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff) {
        int i = 0;
        // n >= L first: a run too short for one vector must not read a broadcast operand it never uses.
        if (n >= L && op != BinaryOp.POW && (aStride == 0 || aStride == 1) && (bStride == 0 || bStride == 1)) {
            FloatVector av = aStride == 0 ? FloatVector.broadcast(F, a[aOff]) : null;
            FloatVector bv = bStride == 0 ? FloatVector.broadcast(F, b[bOff]) : null;
            for (; i + L <= n; i += L) {
                FloatVector x = av != null ? av : FloatVector.fromArray(F, a, aOff + i);
                FloatVector y = bv != null ? bv : FloatVector.fromArray(F, b, bOff + i);
                apply(op, x, y).intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) {
            out[outOff + i] = ScalarMath.apply(op, a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    private static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
            case POW -> a.lanewise(VectorOperators.POW, b);
            case EQ -> select(a.compare(VectorOperators.EQ, b));
            case NE -> select(a.compare(VectorOperators.NE, b));
            case LT -> select(a.compare(VectorOperators.LT, b));
            case LE -> select(a.compare(VectorOperators.LE, b));
            case GT -> select(a.compare(VectorOperators.GT, b));
            case GE -> select(a.compare(VectorOperators.GE, b));
        };
    }

    private static FloatVector select(VectorMask<Float> m) {
        return FloatVector.zero(F).blend(1f, m);
    }

    @Override
    public float expShiftSum(int n, float[] x, int xOff, float shift, float[] out, int outOff) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = FloatVector.fromArray(F, x, xOff + i).sub(shift).lanewise(VectorOperators.EXP);
            e.intoArray(out, outOff + i);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xOff + i] - shift);
            out[outOff + i] = e;
            sum += e;
        }
        return sum;
    }
}
