package io.github.gptfromscratch.autograd.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossesTest {

    @Test
    void max_margin_is_the_mean_hinge_and_only_violating_samples_get_gradient() {
        Value confident = new Value(2.0);  // y=+1, margin 2: loss 0
        Value inside = new Value(0.5);     // y=+1, margin 0.5: loss 0.5
        Value wrong = new Value(0.25);     // y=-1, margin -0.25: loss 1.25
        Value loss = Losses.maxMargin(List.of(confident, inside, wrong), new int[] {1, 1, -1});
        loss.backward();

        assertEquals((0.0 + 0.5 + 1.25) / 3, loss.data(), 1e-15);
        assertEquals(0.0, confident.grad(), 0.0);
        assertEquals(-1.0 / 3, inside.grad(), 1e-15);
        assertEquals(1.0 / 3, wrong.grad(), 1e-15);
    }

    @Test
    void l2_is_alpha_times_sum_of_squares_with_gradient_two_alpha_p() {
        Value p = new Value(3.0);
        Value q = new Value(-2.0);
        Value penalty = Losses.l2(List.of(p, q), 1e-4);
        penalty.backward();
        assertEquals(1e-4 * 13.0, penalty.data(), 1e-18);
        assertEquals(6e-4, p.grad(), 1e-18);
        assertEquals(-4e-4, q.grad(), 1e-18);
    }

    @Test
    void accuracy_counts_matching_signs_and_zero_as_negative() {
        List<Value> scores = List.of(new Value(1.0), new Value(-1.0), new Value(0.0), new Value(-0.1));
        assertEquals(0.75, Losses.accuracy(scores, new int[] {1, -1, -1, 1}), 0.0);
    }

    @Test
    void mismatched_sizes_and_bad_labels_are_rejected() {
        List<Value> scores = List.of(new Value(1.0), new Value(2.0));
        assertThrows(IllegalArgumentException.class, () -> Losses.maxMargin(scores, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Losses.accuracy(scores, new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> Losses.accuracy(List.of(), new int[0]));
    }
}
