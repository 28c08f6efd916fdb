package io.github.gptfromscratch.autograd.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ValueTest {

    /** The expression of micrograd's README and test_engine.py {@code test_more_ops}. */
    @Test
    void micrograd_readme_expression_gives_published_value_and_gradients() {
        Value a = new Value(-4.0);
        Value b = new Value(2.0);
        Value c = a.add(b);
        Value d = a.mul(b).add(b.pow(3));
        c = c.add(c.add(1));
        c = c.add(c.add(1).add(a.neg()));
        d = d.add(d.mul(2).add(b.add(a).relu()));
        d = d.add(d.mul(3).add(b.sub(a).relu()));
        Value e = c.sub(d);
        Value f = e.pow(2);
        Value g = f.div(2.0);
        g = g.add(new Value(10.0).div(f));
        g.backward();

        assertEquals(24.7041, g.data(), 5e-5);
        assertEquals(138.8338, a.grad(), 5e-5);
        assertEquals(645.5773, b.grad(), 5e-5);
    }

    /** micrograd's test_engine.py {@code test_sanity_check}: y = -20 and dy/dx = 46, worked out by hand. */
    @Test
    void micrograd_sanity_check_expression() {
        Value x = new Value(-4.0);
        Value z = x.mul(2).add(2).add(x);
        Value q = z.relu().add(z.mul(x));
        Value h = z.mul(z).relu();
        Value y = h.add(q).add(q.mul(x));
        y.backward();

        assertEquals(-20.0, y.data(), 0.0);
        assertEquals(46.0, x.grad(), 1e-12);
    }

    @Test
    void reused_intermediate_accumulates_both_paths() {
        Value a = new Value(3.0);
        Value b = a.add(a);
        Value c = b.mul(b);
        c.backward();

        // c = (2a)^2 = 4a^2, so dc/db = 2b = 12 and dc/da = 8a = 24
        assertEquals(36.0, c.data(), 0.0);
        assertEquals(12.0, b.grad(), 0.0);
        assertEquals(24.0, a.grad(), 0.0);
    }

    @Test
    void value_multiplied_by_itself_gets_twice_the_other_factor() {
        Value a = new Value(-1.5);
        Value square = a.mul(a);
        square.backward();
        assertEquals(-3.0, a.grad(), 0.0);
    }

    @Test
    void sum_with_a_repeated_term_counts_it_each_time() {
        Value a = new Value(2.0);
        Value b = new Value(5.0);
        Value total = Value.sum(List.of(a, b, a, a));
        total.backward();
        assertEquals(11.0, total.data(), 0.0);
        assertEquals(3.0, a.grad(), 0.0);
        assertEquals(1.0, b.grad(), 0.0);
    }

    @Test
    void second_backward_adds_to_leaves_without_double_counting_intermediates() {
        Value a = new Value(2.0);
        Value hidden = a.mul(3.0);
        Value out = hidden.tanh().add(hidden);
        out.backward();
        double once = a.grad();
        double hiddenGrad = hidden.grad();
        out.backward();

        assertEquals(2 * once, a.grad(), 1e-15);
        assertEquals(hiddenGrad, hidden.grad(), 0.0);
        assertEquals(1.0, out.grad(), 0.0);
    }

    @Test
    void zero_grad_resets_a_leaf() {
        Value a = new Value(2.0);
        a.mul(a).backward();
        a.zeroGrad();
        assertEquals(0.0, a.grad(), 0.0);
    }

    @Test
    void backward_on_a_leaf_accumulates_one() {
        Value a = new Value(7.0);
        a.backward();
        a.backward();
        assertEquals(2.0, a.grad(), 0.0);
    }

    @Test
    void operations_with_constants_match_operations_with_leaves() {
        Value a = new Value(1.25);
        Value viaConstants = a.add(2.0).sub(0.5).mul(3.0).div(4.0);
        viaConstants.backward();
        Value b = new Value(1.25);
        Value viaLeaves = b.add(new Value(2.0)).sub(new Value(0.5)).mul(new Value(3.0)).div(new Value(4.0));
        viaLeaves.backward();

        assertEquals(viaLeaves.data(), viaConstants.data(), 1e-15);
        assertEquals(b.grad(), a.grad(), 1e-15);
        assertEquals(0.75, a.grad(), 1e-15);
    }

    @Test
    void graph_records_operation_and_operands() {
        Value a = new Value(1.0);
        Value b = new Value(2.0);
        Value c = a.mul(b);
        assertEquals("*", c.op());
        assertEquals(List.of(a, b), c.parents());
        assertEquals("", a.op());
        assertTrue(a.parents().isEmpty());
    }

    @Test
    void relu_gradient_is_zero_at_zero_and_below() {
        Value zero = new Value(0.0);
        zero.relu().backward();
        Value negative = new Value(-0.5);
        negative.relu().backward();
        Value positive = new Value(0.5);
        positive.relu().backward();
        assertEquals(0.0, zero.grad(), 0.0);
        assertEquals(0.0, negative.grad(), 0.0);
        assertEquals(1.0, positive.grad(), 0.0);
    }

    @Test
    void zero_to_the_power_zero_has_gradient_zero_not_nan() {
        Value zero = new Value(0.0);
        Value one = zero.pow(0.0);
        one.backward();
        assertEquals(1.0, one.data(), 0.0);
        assertEquals(0.0, zero.grad(), 0.0);
    }

    @Test
    void log_of_non_positive_names_the_op_and_value() {
        ArithmeticException ofZero = assertThrows(ArithmeticException.class, () -> new Value(0.0).log());
        assertTrue(ofZero.getMessage().startsWith("log:") && ofZero.getMessage().contains("0.0"), ofZero.getMessage());
        ArithmeticException ofNegative = assertThrows(ArithmeticException.class, () -> new Value(-2.5).log());
        assertTrue(ofNegative.getMessage().contains("-2.5"), ofNegative.getMessage());
    }

    @Test
    void division_by_zero_names_the_op_and_dividend() {
        ArithmeticException byValue = assertThrows(ArithmeticException.class,
                () -> new Value(3.5).div(new Value(0.0)));
        assertTrue(byValue.getMessage().startsWith("div:") && byValue.getMessage().contains("3.5"), byValue.getMessage());
        ArithmeticException byConstant = assertThrows(ArithmeticException.class, () -> new Value(3.5).div(-0.0));
        assertTrue(byConstant.getMessage().startsWith("div:"), byConstant.getMessage());
    }

    @Test
    void pow_outside_the_real_domain_names_base_and_exponent() {
        ArithmeticException root = assertThrows(ArithmeticException.class, () -> new Value(-4.0).pow(0.5));
        assertTrue(root.getMessage().startsWith("pow:") && root.getMessage().contains("-4.0")
                && root.getMessage().contains("0.5"), root.getMessage());
        ArithmeticException reciprocal = assertThrows(ArithmeticException.class, () -> new Value(0.0).pow(-1));
        assertTrue(reciprocal.getMessage().contains("-1.0"), reciprocal.getMessage());
        assertEquals(-8.0, new Value(-2.0).pow(3).data(), 0.0);
    }

    @Test
    void sum_of_nothing_is_rejected() {
        assertThrows(IllegalArgumentException.class, () -> Value.sum(List.of()));
    }

    /**
     * 100,000 chained operations. Backward runs on a thread with a deliberately small stack: a
     * recursive topological sort would need a frame per node and overflow it.
     */
    @Test
    void deep_chain_of_100k_ops_backpropagates_without_recursion() throws InterruptedException {
        int ops = 100_000;
        Value x = new Value(0.5);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Value> result = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                Value v = x;
                for (int i = 0; i < ops; i++) {
                    // alternate two ops so both kinds of closure are in the chain; v = (ops/2 + 1) * x overall
                    v = (i % 2 == 0) ? v.add(x) : v.mul(1.0);
                }
                v.backward();
                result.set(v);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "deep-chain", 256 * 1024);
        worker.start();
        worker.join();

        if (failure.get() != null) {
            throw new AssertionError("backward failed on a chain of " + ops + " ops", failure.get());
        }
        assertEquals(0.5 * (ops / 2 + 1), result.get().data(), 1e-9);
        assertEquals(ops / 2 + 1, x.grad(), 0.0);
    }
}
