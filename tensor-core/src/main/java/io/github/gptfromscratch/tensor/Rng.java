package io.github.gptfromscratch.tensor;

/**
 * A small, fast, seeded random number generator (SplitMix64) whose whole state is one {@code long}.
 *
 * <p>The state can be read and restored ({@link #state()}, {@link #setState(long)}), which is what
 * makes a resumed training run draw exactly the batches an uninterrupted one would. An instance is
 * not thread-safe: give each thread its own, for example with {@link #split()}.
 *
 * <pre>{@code
 * Rng rng = new Rng(1337);
 * Tensor w = Tensor.randn(rng, 27, 27);
 * int row = rng.nextInt(100);
 * }</pre>
 */
public final class Rng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator seeded with {@code seed}; the same seed always yields the same stream. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The generator's whole state, for checkpoints. */
    public long state() {
        return state;
    }

    /** Restores a state read with {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** A new generator on an independent stream, seeded from this one. */
    public Rng split() {
        return new Rng(mix(nextLong()));
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, 1)} with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform in {@code [0, bound)}.
     *
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Rng.nextInt: bound must be positive, got " + bound);
        }
        // Multiply-shift on 32 random bits: the bias is below bound / 2^32, far under sampling noise.
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** A standard normal sample (Box-Muller; one pair of uniforms per sample keeps the state a single long). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log stays finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
