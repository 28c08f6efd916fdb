package io.github.gptfromscratch.autograd.scalar;

import io.github.gptfromscratch.tensor.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The two interleaving half circles of scikit-learn's {@code make_moons}, with labels {@code ±1}.
 *
 * <p>{@code samples / 2} points (rounded down) lie on the outer moon {@code (cos t, sin t)} and the
 * rest on the inner moon {@code (1 - cos t, 1 - sin t - 0.5)}, with {@code t} evenly spaced over
 * {@code [0, π]} on each. Gaussian noise of standard deviation {@code noise} is added to both
 * coordinates and the points are shuffled. The outer moon is class {@code -1}, the inner one
 * {@code +1} (micrograd's {@code y*2 - 1} applied to scikit-learn's 0/1 labels).
 *
 * <pre>{@code
 * List<LabeledPoint> data = TwoMoons.generate(100, 0.1, new Rng(1337));
 * }</pre>
 */
public final class TwoMoons {

    private TwoMoons() {
    }

    /**
     * Draws a data set.
     *
     * @param samples how many points, at least 2 so that both moons are present
     * @param noise the standard deviation of the Gaussian noise, at least 0
     * @param rng the source of noise and of the shuffle
     * @return the points in random order
     */
    public static List<LabeledPoint> generate(int samples, double noise, Rng rng) {
        if (samples < 2) {
            throw new IllegalArgumentException("TwoMoons: samples must be at least 2, got " + samples);
        }
        if (!(noise >= 0.0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("TwoMoons: noise must be finite and >= 0, got " + noise);
        }
        int outer = samples / 2;
        int inner = samples - outer;
        List<LabeledPoint> points = new ArrayList<>(samples);
        for (int i = 0; i < outer; i++) {
            double t = linspace(i, outer);
            points.add(new LabeledPoint(Math.cos(t) + noise * rng.nextGaussian(),
                    Math.sin(t) + noise * rng.nextGaussian(), -1));
        }
        for (int i = 0; i < inner; i++) {
            double t = linspace(i, inner);
            points.add(new LabeledPoint(1.0 - Math.cos(t) + noise * rng.nextGaussian(),
                    1.0 - Math.sin(t) - 0.5 + noise * rng.nextGaussian(), +1));
        }
        // Fisher-Yates with our generator, so the order is reproducible from the seed.
        for (int i = points.size() - 1; i > 0; i--) {
            Collections.swap(points, i, rng.nextInt(i + 1));
        }
        return List.copyOf(points);
    }

    /** The {@code i}-th of {@code count} evenly spaced angles from 0 to π inclusive (NumPy's linspace). */
    private static double linspace(int i, int count) {
        return count == 1 ? 0.0 : Math.PI * i / (count - 1);
    }
}
