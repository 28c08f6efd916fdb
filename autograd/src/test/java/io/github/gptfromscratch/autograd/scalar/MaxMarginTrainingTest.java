package io.github.gptfromscratch.autograd.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaxMarginTrainingTest {

    private static final long SEED = 1337;

    /** micrograd's demo.ipynb: MLP(2, [16, 16, 1]) on 100 moons, 100 steps, reaches 100% (there, first at step 40). */
    @Test
    void mlp_separates_two_moons_within_100_steps() {
        Rng rng = new Rng(SEED);
        List<LabeledPoint> data = TwoMoons.generate(100, 0.1, rng.split());
        Mlp model = new Mlp(2, List.of(16, 16, 1), rng.split());
        MaxMarginTraining training = new MaxMarginTraining(model, data, 1e-4);

        MaxMarginTraining.Metrics first = training.evaluate();
        int steps = 100;
        int firstPerfectStep = -1;
        for (int k = 0; k < steps && firstPerfectStep < 0; k++) {
            MaxMarginTraining.Metrics m = training.step(MaxMarginTraining.linearDecay(k, steps));
            if (m.accuracy() == 1.0) {
                firstPerfectStep = k;
            }
        }
        MaxMarginTraining.Metrics last = training.evaluate();

        assertTrue(firstPerfectStep >= 0, "seed " + SEED + ": never reached 100%; last " + last);
        assertTrue(last.loss() < first.loss(), "seed " + SEED + ": loss " + first.loss() + " -> " + last.loss());
    }

    @Test
    void step_reports_metrics_before_its_update() {
        Rng rng = new Rng(SEED);
        List<LabeledPoint> data = TwoMoons.generate(20, 0.1, rng.split());
        MaxMarginTraining training = new MaxMarginTraining(new Mlp(2, List.of(8, 1), rng.split()), data, 1e-4);
        MaxMarginTraining.Metrics before = training.evaluate();
        MaxMarginTraining.Metrics reported = training.step(0.5);
        assertEquals(before, reported);
    }

    @Test
    void learning_rate_decays_linearly_from_one() {
        assertEquals(1.0, MaxMarginTraining.linearDecay(0, 100), 0.0);
        assertEquals(0.55, MaxMarginTraining.linearDecay(50, 100), 1e-15);
        assertEquals(0.109, MaxMarginTraining.linearDecay(99, 100), 1e-15);
    }

    @Test
    void model_must_map_two_inputs_to_one_score() {
        List<LabeledPoint> data = List.of(new LabeledPoint(0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new MaxMarginTraining(new Mlp(2, List.of(4, 2), new Rng(SEED)), data, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new MaxMarginTraining(new Mlp(3, List.of(4, 1), new Rng(SEED)), data, 0));
    }
}
