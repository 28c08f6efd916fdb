package io.github.gptfromscratch.autograd.scalar;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One scalar in a computation graph: its value, the gradient of some output with respect to it,
 * the values it was computed from and the rule that sends a gradient back to them.
 *
 * <p>Every operation returns a new {@code Value} and, right beside its forward formula, records the
 * local chain rule as a closure. {@link #backward()} orders the graph topologically (without
 * recursion, so chains of millions of operations are fine) and runs those closures from the output
 * back to the leaves. Gradients are accumulated with {@code +=}, so a value used twice receives both
 * contributions.
 *
 * <pre>{@code
 * Value a = new Value(-4.0);
 * Value b = new Value(2.0);
 * Value c = a.mul(b).add(b.pow(3));   // c = a*b + b^3 = 0
 * c.backward();
 * a.grad();                           // dc/da = b = 2
 * b.grad();                           // dc/db = a + 3b^2 = 8
 * }</pre>
 *
 * <p>Domain errors throw instead of producing NaN or infinity: {@code log} of a non-positive value,
 * division by zero and {@code pow} outside its real domain raise an {@link ArithmeticException}
 * naming the operation and the offending operand. A scalar engine is for teaching and cross-checking,
 * where a silent NaN that surfaces a thousand nodes later is much harder to trace than an
 * exception at the op that produced it. {@code exp} may still overflow to infinity, as in IEEE.
 *
 * <p>Instances are not thread-safe: a graph belongs to the thread that builds it.
 */
public final class Value {

    private double data;
    private double grad;
    private final Value[] parents;
    private final String op;
    /** Pushes this node's grad into its parents' grads; null for leaves. */
    private Runnable backward;

    /**
     * A leaf: an input or a parameter.
     *
     * @param data its value
     */
    public Value(double data) {
        this(data, "", new Value[0]);
    }

    private Value(double data, String op, Value... parents) {
        this.data = data;
        this.op = op;
        this.parents = parents;
    }

    /** The current value. */
    public double data() {
        return data;
    }

    /**
     * Overwrites the value, as an optimizer step does for a parameter.
     *
     * <p>Values computed from this one are not recomputed: build the graph again after an update.
     */
    public void setData(double data) {
        this.data = data;
    }

    /** The accumulated gradient of the last {@link #backward()} output(s) with respect to this value. */
    public double grad() {
        return grad;
    }

    /** Resets the gradient to zero; call it on parameters before each backward pass. */
    public void zeroGrad() {
        grad = 0.0;
    }

    /** The name of the operation that produced this value ({@code "+"}, {@code "tanh"}, ...); empty for a leaf. */
    public String op() {
        return op;
    }

    /** The values this one was computed from, in operand order; empty for a leaf. */
    public List<Value> parents() {
        return List.of(parents);
    }

    // ---------------------------------------------------------------- binary operations

    /** {@code this + other}. */
    public Value add(Value other) {
        Value out = new Value(data + other.data, "+", this, other);
        out.backward = () -> {
            this.grad += out.grad;
            other.grad += out.grad;
        };
        return out;
    }

    /** {@code this + constant}. */
    public Value add(double constant) {
        Value out = new Value(data + constant, "+", this);
        out.backward = () -> this.grad += out.grad;
        return out;
    }

    /** {@code this - other}. */
    public Value sub(Value other) {
        Value out = new Value(data - other.data, "-", this, other);
        out.backward = () -> {
            this.grad += out.grad;
            other.grad -= out.grad;
        };
        return out;
    }

    /** {@code this - constant}. */
    public Value sub(double constant) {
        return add(-constant);
    }

    /** {@code this * other}. */
    public Value mul(Value other) {
        Value out = new Value(data * other.data, "*", this, other);
        out.backward = () -> {
            this.grad += other.data * out.grad;
            other.grad += this.data * out.grad;
        };
        return out;
    }

    /** {@code this * constant}. */
    public Value mul(double constant) {
        Value out = new Value(data * constant, "*", this);
        out.backward = () -> this.grad += constant * out.grad;
        return out;
    }

    /**
     * {@code this / other}.
     *
     * @throws ArithmeticException if {@code other} is zero
     */
    public Value div(Value other) {
        requireNonZeroDivisor(other.data);
        Value out = new Value(data / other.data, "/", this, other);
        out.backward = () -> {
            // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
            this.grad += out.grad / other.data;
            other.grad -= out.grad * this.data / (other.data * other.data);
        };
        return out;
    }

    /**
     * {@code this / constant}.
     *
     * @throws ArithmeticException if {@code constant} is zero
     */
    public Value div(double constant) {
        requireNonZeroDivisor(constant);
        return mul(1.0 / constant);
    }

    private void requireNonZeroDivisor(double divisor) {
        if (divisor == 0.0) {
            throw new ArithmeticException("div: division of " + data + " by zero");
        }
    }

    /**
     * {@code this} raised to a constant power.
     *
     * @throws ArithmeticException if the result is not a finite real number: a negative base with a
     *     non-integer exponent, or zero with a negative exponent
     */
    public Value pow(double exponent) {
        if (data < 0.0 && exponent != Math.rint(exponent)) {
            throw new ArithmeticException("pow: negative base " + data + " with non-integer exponent " + exponent);
        }
        if (data == 0.0 && exponent < 0.0) {
            throw new ArithmeticException("pow: zero base with negative exponent " + exponent);
        }
        Value out = new Value(Math.pow(data, exponent), "^" + exponent, this);
        // x^0 is constant; without this case 0^0 would back-propagate 0 * 0^-1 = NaN
        out.backward = () -> this.grad += exponent == 0.0 ? 0.0 : exponent * Math.pow(this.data, exponent - 1.0) * out.grad;
        return out;
    }

    // ---------------------------------------------------------------- unary operations

    /** {@code -this}. */
    public Value neg() {
        Value out = new Value(-data, "neg", this);
        out.backward = () -> this.grad -= out.grad;
        return out;
    }

    /** {@code e^this}. */
    public Value exp() {
        Value out = new Value(Math.exp(data), "exp", this);
        out.backward = () -> this.grad += out.data * out.grad;
        return out;
    }

    /**
     * The natural logarithm.
     *
     * @throws ArithmeticException if this value is not positive
     */
    public Value log() {
        if (!(data > 0.0)) {
            throw new ArithmeticException("log: argument must be positive, got " + data);
        }
        Value out = new Value(Math.log(data), "log", this);
        out.backward = () -> this.grad += out.grad / this.data;
        return out;
    }

    /** The hyperbolic tangent. */
    public Value tanh() {
        Value out = new Value(Math.tanh(data), "tanh", this);
        out.backward = () -> this.grad += (1.0 - out.data * out.data) * out.grad;
        return out;
    }

    /** {@code max(0, this)}; its gradient at exactly 0 is taken as 0, as micrograd and PyTorch do. */
    public Value relu() {
        Value out = new Value(data > 0.0 ? data : 0.0, "relu", this);
        out.backward = () -> this.grad += (out.data > 0.0 ? out.grad : 0.0);
        return out;
    }

    // ---------------------------------------------------------------- n-ary operations

    /**
     * The sum of {@code terms} as one node with many parents.
     *
     * <p>Equivalent to folding {@link #add(Value)}, but the graph is one node deep instead of
     * {@code terms.size()} nodes, which keeps neurons and losses over many samples cheap.
     *
     * @throws IllegalArgumentException if {@code terms} is empty
     */
    public static Value sum(List<Value> terms) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("sum: no terms");
        }
        Value[] operands = terms.toArray(new Value[0]);
        double total = 0.0;
        for (Value term : operands) {
            total += term.data;
        }
        Value out = new Value(total, "sum", operands);
        out.backward = () -> {
            for (Value term : operands) {
                term.grad += out.grad;
            }
        };
        return out;
    }

    // ---------------------------------------------------------------- backpropagation

    /**
     * Back-propagates from this value: adds d(this)/d(leaf) to the gradient of every leaf it depends
     * on, and leaves d(this)/d(node) in every intermediate node.
     *
     * <p>Intermediate gradients are reset first, so calling {@code backward()} on two outputs that
     * share parameters (or twice on one) accumulates cleanly into the leaves. Leaf gradients are
     * never reset here: zero them with {@link #zeroGrad()} between optimizer steps.
     */
    public void backward() {
        List<Value> order = topologicalOrder();
        for (Value node : order) {
            if (node.backward != null) {
                node.grad = 0.0;
            }
        }
        grad += 1.0;
        for (int i = order.size() - 1; i >= 0; i--) {
            Runnable rule = order.get(i).backward;
            if (rule != null) {
                rule.run();
            }
        }
    }

    /**
     * Every node this value depends on, each after all of its parents, ending with this value.
     * Depth-first with an explicit stack so that deep graphs cannot overflow the call stack.
     */
    private List<Value> topologicalOrder() {
        List<Value> order = new ArrayList<>();
        Set<Value> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Visit> stack = new ArrayDeque<>();
        visited.add(this);
        stack.push(new Visit(this));
        while (!stack.isEmpty()) {
            Visit top = stack.peek();
            if (top.nextParent < top.node.parents.length) {
                Value parent = top.node.parents[top.nextParent++];
                if (visited.add(parent)) {
                    stack.push(new Visit(parent));
                }
            } else {
                stack.pop();
                order.add(top.node);
            }
        }
        return order;
    }

    /** A node on the depth-first stack and how many of its parents have been visited. */
    private static final class Visit {
        final Value node;
        int nextParent;

        Visit(Value node) {
            this.node = node;
        }
    }

    @Override
    public String toString() {
        return "Value(data=" + data + ", grad=" + grad + (op.isEmpty() ? "" : ", op=" + op) + ")";
    }
}
