package io.github.gptfromscratch.autograd.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoMoonsTest {

    private static final long SEED = 1337;

    @Test
    void without_noise_points_lie_on_the_two_half_circles_with_their_labels() {
        List<LabeledPoint> points = TwoMoons.generate(101, 0.0, new Rng(SEED));
        assertEquals(101, points.size());
        assertEquals(50, points.stream().filter(p -> p.label() == -1).count(), "outer moon gets n/2 rounded down");
        for (LabeledPoint p : points) {
            String where = "seed " + SEED + ", point " + p;
            if (p.label() == -1) {
                assertEquals(1.0, Math.hypot(p.x(), p.y()), 1e-12, where);
                assertTrue(p.y() >= -1e-12, where);
            } else {
                assertEquals(1.0, Math.hypot(p.x() - 1.0, p.y() - 0.5), 1e-12, where);
                assertTrue(p.y() <= 0.5 + 1e-12, where);
            }
        }
        // linspace includes both ends: the outer moon starts at (1, 0) and ends at (-1, 0)
        assertTrue(points.stream().anyMatch(p -> p.label() == -1 && Math.abs(p.x() + 1.0) < 1e-12));
        assertTrue(points.stream().anyMatch(p -> p.label() == 1 && Math.abs(p.x() - 2.0) < 1e-12));
    }

    @Test
    void points_are_shuffled_not_grouped_by_class() {
        List<LabeledPoint> points = TwoMoons.generate(100, 0.1, new Rng(SEED));
        long labelChanges = 0;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).label() != points.get(i - 1).label()) {
                labelChanges++;
            }
        }
        // a random order of 50+50 has about 50 changes; grouped data has 1
        assertTrue(labelChanges > 30, "seed " + SEED + ": only " + labelChanges + " label changes");
    }

    @Test
    void noise_has_the_requested_standard_deviation() {
        double noise = 0.1;
        List<LabeledPoint> points = TwoMoons.generate(4000, noise, new Rng(SEED));
        // the radial offset from the (noise-free) circle is approximately Gaussian with std = noise
        double sumSquares = 0;
        for (LabeledPoint p : points) {
            double radius = p.label() == -1 ? Math.hypot(p.x(), p.y()) : Math.hypot(p.x() - 1.0, p.y() - 0.5);
            sumSquares += (radius - 1.0) * (radius - 1.0);
        }
        double std = Math.sqrt(sumSquares / points.size());
        assertEquals(noise, std, 0.01, "seed " + SEED);
    }

    @Test
    void same_seed_same_data_other_seed_other_data() {
        assertEquals(TwoMoons.generate(50, 0.2, new Rng(SEED)), TwoMoons.generate(50, 0.2, new Rng(SEED)));
        assertNotEquals(TwoMoons.generate(50, 0.2, new Rng(SEED)), TwoMoons.generate(50, 0.2, new Rng(SEED + 1)));
    }

    @Test
    void invalid_arguments_are_rejected() {
        assertThrows(IllegalArgumentException.class, () -> TwoMoons.generate(1, 0.1, new Rng(SEED)));
        assertThrows(IllegalArgumentException.class, () -> TwoMoons.generate(10, -0.1, new Rng(SEED)));
        assertThrows(IllegalArgumentException.class, () -> TwoMoons.generate(10, Double.NaN, new Rng(SEED)));
    }
}
