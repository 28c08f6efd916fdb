package io.github.gptfromscratch.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.autograd.scalar.Value;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The micrograd scalar engine (float64) and the tensor engine (float32, 0-d tensors) agree on the
 * value and the gradients of random expression trees over a few shared leaves.
 */
class ScalarVsTensorTest {

    private static final int MAX_DEPTH = 4;
    /** Relative agreement expected between float32 and float64 through a few dozen operations. */
    private static final double TOLERANCE = 1e-4;

    /** One node built in both engines at once. */
    private record Node(Value scalar, Var tensor) {
        double value() {
            return scalar.data();
        }
    }

    @Property(tries = 200)
    void randomExpressionsAgree(@ForAll long seed) {
        checkRandomExpression(seed);
    }

    /** Once failed: exp(exp(…)) fed tanh an argument of 7, where float32's 1 − tanh² has no digits left. */
    @Example
    void nestedExponentialsThroughTanhAgree() {
        checkRandomExpression(35242);
    }

    private static void checkRandomExpression(long seed) {
        Rng rng = new Rng(seed);
        int leafCount = 2 + rng.nextInt(3);
        Node[] leaves = new Node[leafCount];
        for (int i = 0; i < leafCount; i++) {
            float x = (float) (rng.nextDouble() * 3 - 1.5);
            leaves[i] = new Node(new Value(x), Var.parameter(Tensor.scalar(x)));
        }
        Node root;
        StringBuilder expression = new StringBuilder();
        try (Tape tape = Tape.record()) {
            root = build(rng, leaves, MAX_DEPTH, expression);
            root.scalar().backward();
            tape.backward(root.tensor());
        }
        String context = "seed " + seed + ", expression " + expression;
        assertClose(root.value(), root.tensor().value().item(), "value of " + context);
        for (int i = 0; i < leafCount; i++) {
            Tensor g = leaves[i].tensor().grad();
            double tensorGrad = g == null ? 0.0 : g.item();
            assertClose(leaves[i].scalar().grad(), tensorGrad, "d/dx" + i + " of " + context);
        }
    }

    /**
     * A random tree. Arguments that would leave an operation's domain are made safe inside the
     * expression itself (log(u² + ½), a / (v² + ½), fractional powers of u² + ½), so both engines
     * always evaluate the same formula; relu's argument is kept away from its kink, and tanh's within
     * ±3, short of saturation: there tanh' = 1 − tanh² cancels to a few float32 digits, an error of the
     * format and not of either engine.
     */
    private static Node build(Rng rng, Node[] leaves, int depth, StringBuilder out) {
        if (depth == 0 || rng.nextInt(4) == 0) {
            int i = rng.nextInt(leaves.length);
            out.append('x').append(i);
            return leaves[i];
        }
        int op = rng.nextInt(9);
        out.append(switch (op) {
            case 0 -> "add(";
            case 1 -> "sub(";
            case 2 -> "mul(";
            case 3 -> "div(";
            case 4 -> "pow(";
            case 5 -> "exp(";
            case 6 -> "log(";
            case 7 -> "tanh(";
            default -> "relu(";
        });
        Node a = build(rng, leaves, depth - 1, out);
        Node result;
        if (op <= 3) {
            out.append(", ");
            Node b = build(rng, leaves, depth - 1, out);
            result = switch (op) {
                case 0 -> new Node(a.scalar().add(b.scalar()), a.tensor().add(b.tensor()));
                case 1 -> new Node(a.scalar().sub(b.scalar()), a.tensor().sub(b.tensor()));
                case 2 -> new Node(a.scalar().mul(b.scalar()), a.tensor().mul(b.tensor()));
                default -> {
                    Node positive = squarePlusHalf(b);
                    yield new Node(a.scalar().div(positive.scalar()), a.tensor().div(positive.tensor()));
                }
            };
        } else {
            result = switch (op) {
                case 4 -> {
                    float[] exponents = {2f, 3f, -1f, 0.5f, 1.5f};
                    float p = exponents[rng.nextInt(exponents.length)];
                    out.append(", ").append(p);
                    Node base = p == Math.rint(p) && p > 0 ? a : squarePlusHalf(a);
                    yield new Node(base.scalar().pow(p), base.tensor().pow(p));
                }
                case 5 -> {
                    Node bounded = tanh(a); // keeps exp from overflowing
                    yield new Node(bounded.scalar().mul(2.0).exp(), bounded.tensor().mul(2f).exp());
                }
                case 6 -> {
                    Node positive = squarePlusHalf(a);
                    yield new Node(positive.scalar().log(), positive.tensor().log());
                }
                case 7 -> tanh(a);
                default -> {
                    Node shifted = Math.abs(a.value()) < 1e-2 ? new Node(a.scalar().add(0.5), a.tensor().add(0.5f)) : a;
                    yield new Node(shifted.scalar().relu(), shifted.tensor().relu());
                }
            };
        }
        out.append(')');
        return result;
    }

    /** tanh of u, or of u scaled into ±3 when it lies beyond (the same constant in both engines). */
    private static Node tanh(Node u) {
        Node arg = u;
        if (Math.abs(u.value()) > 3) {
            float scale = (float) (3 / Math.abs(u.value()));
            arg = new Node(u.scalar().mul(scale), u.tensor().mul(scale));
        }
        return new Node(arg.scalar().tanh(), arg.tensor().tanh());
    }

    private static Node squarePlusHalf(Node u) {
        return new Node(u.scalar().mul(u.scalar()).add(0.5), u.tensor().mul(u.tensor()).add(0.5f));
    }

    private static void assertClose(double expected, double actual, String what) {
        double error = Math.abs(expected - actual) / Math.max(1.0, Math.abs(expected));
        assertTrue(error < TOLERANCE, what + ": float64 scalar engine " + expected + ", tensor engine " + actual
                + " (relative error " + error + ")");
    }
}
