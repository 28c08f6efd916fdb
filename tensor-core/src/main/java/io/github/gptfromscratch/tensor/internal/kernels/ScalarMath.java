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

    private ScalarMath() {
    }

    /** The error function to float precision. */
    public static float erf(float x) {
        float ax = Math.abs(x);
        float t = 1f / (1f + ERF_P * ax);
        float poly = ((((ERF_A5 * t + ERF_A4) * t + ERF_A3) * t + ERF_A2) * t + ERF_A1) * t;
        float y = 1f - poly * (float) Math.exp(-ax * ax);
        return Math.copySign(y, x);
    }

    public static float apply(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case TANH -> (float) Math.tanh(x);
            case SQRT -> (float) Math.sqrt(x);
            case RELU -> Math.max(x, 0f); // NaN stays NaN, as in PyTorch and the vector max
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case GELU -> 0.5f * x * (1f + erf(x * SQRT_HALF));
            case GELU_TANH -> 0.5f * x * (1f + (float) Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
            case GELU_GRAD -> 0.5f * (1f + erf(x * SQRT_HALF)) + x * INV_SQRT_2PI * (float) Math.exp(-0.5f * x * x);
            case GELU_TANH_GRAD -> {
                float inner = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
                float th = (float) Math.tanh(inner);
                float dInner = SQRT_2_OVER_PI * (1f + 3f * GELU_TANH_C * x * x);
                yield 0.5f * (1f + th) + 0.5f * x * (1f - th * th) * dInner;
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
