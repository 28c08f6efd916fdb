package io.github.gptfromscratch.tensor.internal.kernels;

/** Scalar definitions of every elementwise op: the reference the vector kernels must agree with. */
public final class ScalarMath {

    static final float SQRT_HALF = 0.70710678118654752f;
    static final float INV_SQRT_2PI = 0.39894228040143268f;
    static final float SQRT_2_OVER_PI = 0.79788456080286536f;
    static final float GELU_TANH_C = 0.044715f;

    // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32 resolution of values near 1).
    static final float ERF_P = 0.3275911f;
    static final float ERF_A1 = 0.254829592f;
    static final float ERF_A2 = -0.284496736f;
    static final float ERF_A3 = 1.421413741f;
    static final float ERF_A4 = -1.453152027f;
    static final float ERF_A5 = 1.061405429f;

    // exp(x) = 2^n · e^r with n = round(x·log2 e) and r = x − n·ln 2 (ln 2 in two parts, Cody & Waite),
    // |r| <= ln(2)/2, e^r by its Taylor series to r^7 (truncation < 6e-9, under half an ulp).
    static final float EXP_MIN = -104f; // e^-104 rounds to 0 in float, so every x below gives 0 too
    static final float EXP_MAX = 89f;   // e^89 overflows to infinity, as does every x above
    static final float LOG2_E = 1.44269504f;
    static final float LN2_HI = 0.693147182f;      // float(ln 2)
    static final float LN2_LO = -1.90465430e-9f;   // ln 2 − LN2_HI
    // log(x) = k·ln 2 + log(1 + f) with x = 2^k·(1 + f), 1 + f in [√½, √2); with s = f/(2 + f),
    // log(1 + f) = 2·atanh(s) = f − (f²/2 − s·(f²/2 + R)), R = 2s²/3 + 2s⁴/5 + … + 2s¹⁰/11 (|s| < 0.172:
    // truncation < 1e-10 relative). ln 2 in two parts whose first has trailing zeros, so k·LOG_LN2_HI is exact.
    static final float LOG_LN2_HI = 0.693359375f;
    static final float LOG_LN2_LO = -2.12194442e-4f;
    /** The bits of float(√2): mantissas above it are halved, moving 1 + f into [√½, √2). */
    static final int SQRT2_BITS = 0x3fb504f3;
    static final float LOG_C3 = 2f / 3;
    static final float LOG_C5 = 2f / 5;
    static final float LOG_C7 = 2f / 7;
    static final float LOG_C9 = 2f / 9;
    static final float LOG_C11 = 2f / 11;
    /** 1.5·2^23: adding it rounds to an integer, which then sits in the low bits of the float. */
    static final float ROUND_MAGIC = 12582912f;
    static final int ROUND_MAGIC_BITS = 0x4B400000;
    static final float INV_7_FACTORIAL = 1f / 5040;
    static final float INV_6_FACTORIAL = 1f / 720;
    static final float INV_5_FACTORIAL = 1f / 120;
    static final float INV_4_FACTORIAL = 1f / 24;
    static final float INV_3_FACTORIAL = 1f / 6;

    // tanh: its odd Taylor series to x^15 below |x| = 0.4 (truncation < 2e-9 relative), (1 − u)/(1 + u)
    // with u = e^(−2|x|) above, where that quotient loses nothing to cancellation.
    static final float TANH_SERIES_MAX = 0.4f;
    static final float TANH_C3 = -1f / 3;
    static final float TANH_C5 = 2f / 15;
    static final float TANH_C7 = -17f / 315;
    static final float TANH_C9 = 62f / 2835;
    static final float TANH_C11 = -1382f / 155925;
    static final float TANH_C13 = 21844f / 6081075;
    static final float TANH_C15 = -929569f / 638512875;

    private ScalarMath() {
    }

    /**
     * tanh in float from {@link #exp(float)} and fused multiply-adds, for the same reason and with the
     * same vector twin ({@code PanamaKernels.tanh}); within 2 ulp of float64 tanh (a dense sweep of [-20, 20]).
     */
    public static float tanh(float x) {
        float a = Math.abs(x);
        if (a < TANH_SERIES_MAX) {
            float x2 = x * x;
            float q = Math.fma(TANH_C15, x2, TANH_C13);
            q = Math.fma(q, x2, TANH_C11);
            q = Math.fma(q, x2, TANH_C9);
            q = Math.fma(q, x2, TANH_C7);
            q = Math.fma(q, x2, TANH_C5);
            q = Math.fma(q, x2, TANH_C3);
            return x * Math.fma(q, x2, 1f); // x·(…) keeps the sign of −0
        }
        float u = exp(a * -2f);
        float y = (1f - u) / (1f + u);
        return x < 0f ? -y : y;
    }

    /**
     * e^x in float, from fused multiply-adds and bit operations only, so that it gives the same bits
     * interpreted, compiled by C1 or by C2, and in every lane of the vector version
     * ({@code PanamaKernels.expShiftSum}), which performs exactly these operations. The Vector API's own EXP
     * is {@code Math.exp} before C2 compiles a loop and a different approximation after, which made two
     * runs with the same seed drift apart in the last bits. Within 1 ulp of float64 exp wherever the
     * result is a normal float (a dense sweep of [-104, 89]); exact 0 for
     * x <= -104 and -inf, +inf beyond 88.73, NaN for NaN.
     */
    public static float exp(float x) {
        if (x < EXP_MIN) {
            return 0f;
        }
        if (x > EXP_MAX) {
            return Float.POSITIVE_INFINITY;
        }
        float shifted = Math.fma(x, LOG2_E, ROUND_MAGIC);
        float n = shifted - ROUND_MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(INV_7_FACTORIAL, r, INV_6_FACTORIAL);
        p = Math.fma(p, r, INV_5_FACTORIAL);
        p = Math.fma(p, r, INV_4_FACTORIAL);
        p = Math.fma(p, r, INV_3_FACTORIAL);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        // 2^n as two factors, each a normal float for n in [-150, 128]: one rounding, into the
        // subnormal range or to infinity, happens in the last multiply.
        int bits = Float.floatToRawIntBits(shifted) - ROUND_MAGIC_BITS;
        int half = bits >> 1;
        return p * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((bits - half + 127) << 23);
    }

    /**
     * ln x in float from fused multiply-adds and bit operations, for the reason {@link #exp} is, with the
     * same vector twin ({@code PanamaKernels.log}): within 1 ulp of float64 log (KernelAgreementTest sweeps
     * every 257th float). -inf for ±0, NaN below 0 and for NaN, +inf for +inf.
     */
    public static float log(float x) {
        if (!(x > 0f) || x == Float.POSITIVE_INFINITY) {
            return x == 0f ? Float.NEGATIVE_INFINITY : x > 0f ? x : Float.NaN;
        }
        boolean subnormal = x < Float.MIN_NORMAL;
        int bits = Float.floatToRawIntBits(subnormal ? x * 0x1p23f : x); // exact: scales into the normal range
        int k = (bits >> 23) - (subnormal ? 127 + 23 : 127);
        int mantissa = (bits & 0x007fffff) | 0x3f800000;
        if (mantissa > SQRT2_BITS) {
            mantissa -= 0x00800000;
            k++;
        }
        float f = Float.intBitsToFloat(mantissa) - 1f; // exact
        float s = f / (2f + f);
        float z = s * s;
        float r = Math.fma(Math.fma(Math.fma(Math.fma(LOG_C11, z, LOG_C9), z, LOG_C7), z, LOG_C5), z, LOG_C3) * z;
        float hfsq = 0.5f * f * f;
        float kf = k;
        return Math.fma(kf, LOG_LN2_HI, -((hfsq - Math.fma(s, hfsq + r, kf * LOG_LN2_LO)) - f));
    }

    /** The error function to float precision. */
    public static float erf(float x) {
        return erf(x, exp(-(x * x)));
    }

    /** erf(x) given e^(−x²), which the gradient of GELU needs as well. */
    static float erf(float x, float expMinusXSquared) {
        float ax = Math.abs(x);
        // fused where the vector version is, so that both give the same bits
        float t = 1f / Math.fma(ax, ERF_P, 1f);
        float poly = Math.fma(Math.fma(Math.fma(t * ERF_A5 + ERF_A4, t, ERF_A3), t, ERF_A2), t, ERF_A1) * t;
        float y = Math.fma(poly, -expMinusXSquared, 1f);
        return x < 0f ? -y : y;
    }

    /** d/dx GELU(x) = Φ(x) + x·φ(x); e^(−x²/2) serves both. */
    static float geluGrad(float x) {
        float z = x * SQRT_HALF;
        float e = exp(-(z * z));
        return Math.fma(x, e * INV_SQRT_2PI, (erf(z, e) + 1f) * 0.5f);
    }

    /** √(2/π)·(x + 0.044715·x³), the argument of tanh in the tanh form of GELU. */
    static float geluTanhInner(float x) {
        return Math.fma(x * x * GELU_TANH_C, x, x) * SQRT_2_OVER_PI;
    }

    public static float apply(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> exp(x);
            case LOG -> log(x);
            case TANH -> tanh(x);
            case SQRT -> (float) Math.sqrt(x);
            case RELU -> Math.max(x, 0f); // NaN stays NaN, as in PyTorch and the vector max
            case SIGMOID -> 1f / (exp(-x) + 1f);
            case GELU -> 0.5f * x * (1f + erf(x * SQRT_HALF));
            case GELU_TANH -> x * 0.5f * (tanh(geluTanhInner(x)) + 1f);
            case GELU_GRAD -> geluGrad(x);
            case GELU_TANH_GRAD -> {
                float th = tanh(geluTanhInner(x));
                float dInner = (x * x * (3f * GELU_TANH_C) + 1f) * SQRT_2_OVER_PI;
                float sech2 = Math.fma(th, -th, 1f);
                yield (th + 1f) * 0.5f + x * 0.5f * sech2 * dInner;
            }
            case STEP -> x > 0f ? 1f : 0f;
            case SQUARE -> x * x;
            case RECIPROCAL -> 1f / x;
        };
    }

    public static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> pow(a, b);
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case TANH_BACKWARD -> a * (1f - b * b);
            case GELU_BACKWARD -> a * apply(UnaryOp.GELU_GRAD, b);
            case RELU_BACKWARD -> b > 0f ? a : 0f;
        };
    }

    static float pow(float a, float b) {
        if (b == 2f) {
            return a * a;
        }
        if (b == 1f) {
            return a;
        }
        if (b == 0.5f) {
            return (float) Math.sqrt(a);
        }
        return (float) Math.pow(a, b);
    }
}
