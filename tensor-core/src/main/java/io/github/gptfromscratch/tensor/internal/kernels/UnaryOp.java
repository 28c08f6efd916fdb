package io.github.gptfromscratch.tensor.internal.kernels;

/** Elementwise functions of one argument that the kernels implement. */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, TANH, SQRT, RELU, SIGMOID,
    /** x·Φ(x) with the exact (erf) normal CDF, as {@code torch.nn.GELU()}. */
    GELU,
    /** The tanh approximation of GELU, as {@code torch.nn.GELU(approximate="tanh")}. */
    GELU_TANH,
    /** d/dx of {@link #GELU}: Φ(x) + x·φ(x). */
    GELU_GRAD,
    /** d/dx of {@link #GELU_TANH}. */
    GELU_TANH_GRAD,
    /** 1 when x &gt; 0, else 0 (the derivative of RELU). */
    STEP,
    SQUARE, RECIPROCAL
}
