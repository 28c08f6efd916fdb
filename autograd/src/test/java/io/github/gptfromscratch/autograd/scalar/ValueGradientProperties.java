package io.github.gptfromscratch.autograd.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

/**
 * Every operation's backward agrees with a central finite difference of its forward, in double.
 * Inputs stay away from kinks (relu at 0) and from the edges of each domain, where a finite
 * difference straddles a discontinuity or the derivative blows up. jqwik reports the seed of a
 * failing run; the assertion message names the op and its inputs.
 */
class ValueGradientProperties {

    private static final double STEP = 1e-5;

    /** Binary operations on two graph values. */
    enum BinaryOp {
        ADD(Value::add), SUB(Value::sub), MUL(Value::mul), DIV(Value::div);

        final BinaryOperator<Value> apply;

        BinaryOp(BinaryOperator<Value> apply) {
            this.apply = apply;
        }
    }

    /** Unary operations, including those with a constant operand. */
    enum UnaryOp {
        NEG(Value::neg), EXP(Value::exp), LOG(Value::log), TANH(Value::tanh), RELU(Value::relu),
        ADD_CONSTANT(v -> v.add(1.7)), SUB_CONSTANT(v -> v.sub(-0.3)), MUL_CONSTANT(v -> v.mul(-2.5)),
        DIV_CONSTANT(v -> v.div(0.4)),
        SQUARE(v -> v.pow(2)), CUBE(v -> v.pow(3)), RECIPROCAL(v -> v.pow(-1)), INVERSE_SQUARE(v -> v.pow(-2)),
        SQRT(v -> v.pow(0.5)), POWER_ONE_AND_HALF(v -> v.pow(1.5));

        final UnaryOperator<Value> apply;

        UnaryOp(UnaryOperator<Value> apply) {
            this.apply = apply;
        }

        boolean needsPositive() {
            return this == LOG || this == SQRT || this == POWER_ONE_AND_HALF;
        }

        boolean needsNonZero() {
            return this == RECIPROCAL || this == INVERSE_SQUARE;
        }
    }

    @Property(tries = 300)
    void unary_gradient_matches_central_difference(
            @ForAll UnaryOp op, @ForAll @DoubleRange(min = -3, max = 3) double a) {
        Assume.that(!op.needsPositive() || a > 0.2);
        Assume.that(!op.needsNonZero() || Math.abs(a) > 0.2);
        Assume.that(op != UnaryOp.RELU || Math.abs(a) > 1e-3);

        Value x = new Value(a);
        op.apply.apply(x).backward();
        double numeric = (forward(op.apply, a + STEP) - forward(op.apply, a - STEP)) / (2 * STEP);

        assertClose(numeric, x.grad(), op + " at a=" + a);
    }

    @Property(tries = 200)
    void binary_gradients_match_central_differences(
            @ForAll BinaryOp op,
            @ForAll @DoubleRange(min = -3, max = 3) double a,
            @ForAll @DoubleRange(min = -3, max = 3) double b) {
        Assume.that(op != BinaryOp.DIV || Math.abs(b) > 0.2);

        assertGradientsMatch(op.apply, a, b, op.toString());
    }

    /** A composition that reuses its inputs, so accumulation across paths is checked too. */
    @Property(tries = 200)
    void composed_expression_gradient_matches_central_difference(
            @ForAll @DoubleRange(min = -2, max = 2) double a,
            @ForAll @DoubleRange(min = -2, max = 2) double b) {
        assertGradientsMatch(ValueGradientProperties::composed, a, b, "composed");
    }

    /** tanh(a·b + a) · exp(b/3) + log(1 + a²) − b/(2 + a²), smooth everywhere. */
    private static Value composed(Value a, Value b) {
        Value squareA = a.pow(2);
        return a.mul(b).add(a).tanh().mul(b.div(3).exp())
                .add(squareA.add(1).log())
                .sub(b.div(squareA.add(2)));
    }

    private static void assertGradientsMatch(BinaryOperator<Value> f, double a, double b, String name) {
        Value x = new Value(a);
        Value y = new Value(b);
        f.apply(x, y).backward();
        double numericA = (f.apply(new Value(a + STEP), new Value(b)).data()
                - f.apply(new Value(a - STEP), new Value(b)).data()) / (2 * STEP);
        double numericB = (f.apply(new Value(a), new Value(b + STEP)).data()
                - f.apply(new Value(a), new Value(b - STEP)).data()) / (2 * STEP);

        assertClose(numericA, x.grad(), name + " d/da at a=" + a + ", b=" + b);
        assertClose(numericB, y.grad(), name + " d/db at a=" + a + ", b=" + b);
    }

    private static double forward(UnaryOperator<Value> op, double a) {
        return op.apply(new Value(a)).data();
    }

    private static void assertClose(double expected, double actual, String what) {
        double tolerance = 1e-6 * Math.max(1.0, Math.abs(expected));
        assertEquals(expected, actual, tolerance, what + ": finite difference " + expected + ", backward " + actual);
    }
}
