package io.github.gptfromscratch.tensor.internal.kernels;

/** Elementwise functions of two arguments; comparisons give 1 for true and 0 for false. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, POW, EQ, NE, LT, LE, GT, GE,
    /** g·(1 − y²) for a = g, b = y = tanh(x): the backward of tanh in one pass. */
    TANH_BACKWARD,
    /** g·GELU′(x) for a = g, b = x (exact erf form): the backward of GELU in one pass. */
    GELU_BACKWARD,
    /** g where x &gt; 0, else 0, for a = g, b = x: the backward of ReLU in one pass. */
    RELU_BACKWARD
}
