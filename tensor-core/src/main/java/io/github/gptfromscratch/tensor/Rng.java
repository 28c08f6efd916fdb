package io.github.gptfromscratch.tensor;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A seeded random number generator, in one of two kinds.
 *
 * <ul>
 *   <li>{@code new Rng(seed)}: SplitMix64, small and fast, whose whole state is one {@code long}.</li>
 *   <li>{@link #pytorch(long) Rng.pytorch(seed)}: PyTorch's CPU generator. It draws what
 *       {@code torch.Generator().manual_seed(seed)} (or the global generator after {@code torch.manual_seed})
 *       draws in PyTorch 1.13 for {@code randn}, {@code rand}, {@code uniform_}, {@code randint},
 *       {@code randperm} and {@code multinomial(p, 1)}, so that a lecture notebook's initial weights,
 *       minibatches and samples can be had in Java: the bigram notebook's first sampled names,
 *       {@code mor.}, {@code axx.}, {@code minaymoryles.}, come out as printed there.</li>
 * </ul>
 *
 * <p>Either kind's state can be read and restored ({@link #state()}, {@link #setState}), which is what
 * makes a resumed training run draw exactly the batches an uninterrupted one would.
 *
 * <p>An instance is not thread-safe: give each thread its own, for example with {@link #split()}.
 *
 * <pre>{@code
 * Rng rng = new Rng(1337);
 * Tensor w = Tensor.randn(rng, 27, 27);
 * int row = rng.nextInt(100);
 * Rng g = Rng.pytorch(2147483647);          // g = torch.Generator().manual_seed(2147483647)
 * Tensor c = Tensor.randn(g, 27, 10);       // C = torch.randn((27, 10), generator=g)
 * }</pre>
 */
public final class Rng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    /** Below this size PyTorch draws normals one at a time; from it on, sixteen at a time. */
    private static final int TORCH_NORMAL_BLOCK = 16;
    private static final float TORCH_TWO_PI = (float) (2.0 * Math.PI);
    private static final String SPLITMIX_STATE = "splitmix64:";
    private static final String MT_STATE = "mt19937:";

    /** SplitMix64's state; unused by a PyTorch generator. */
    private long state;
    /** PyTorch's engine, or null for SplitMix64. */
    private final Mt19937 torch;
    /** PyTorch keeps the second value of each scalar Box-Muller pair for the next call; NaN when it has none. */
    private double torchNextNormal = Double.NaN;

    /** A SplitMix64 generator seeded with {@code seed}; the same seed always yields the same stream. */
    public Rng(long seed) {
        this.state = seed;
        this.torch = null;
    }

    private Rng(Mt19937 torch) {
        this.torch = torch;
    }

    /**
     * PyTorch's CPU generator after {@code manual_seed(seed)}, which keeps the seed's low 32 bits (it seeds
     * a Mersenne Twister with one word); a negative seed counts by its two's-complement low word, as
     * PyTorch's C++ does.
     */
    public static Rng pytorch(long seed) {
        return new Rng(Mt19937.fromWord((int) seed));
    }

    /** Whether this generator reproduces PyTorch's draws ({@link #pytorch}). */
    public boolean isPytorch() {
        return torch != null;
    }

    /** The kind of a {@link #pytorch} generator, as checkpoints record it and the commands' {@code --rng} name it. */
    public static final String PYTORCH = "pytorch";
    /** The kind of a SplitMix64 generator ({@link #Rng(long)}). */
    public static final String SPLITMIX = "splitmix";

    /** {@link #PYTORCH} or {@link #SPLITMIX}. */
    public String kind() {
        return isPytorch() ? PYTORCH : SPLITMIX;
    }

    /**
     * The generator's whole state as text, for checkpoints: {@code splitmix64:} and the state in hex, or
     * {@code mt19937:} and the engine's 624 words and index in Base64, then the kept Box-Muller value.
     * {@link #setState} on a generator of the same kind continues the stream from here.
     */
    public String state() {
        if (torch == null) {
            return SPLITMIX_STATE + Long.toHexString(state);
        }
        int[] words = torch.state();
        ByteBuffer bytes = ByteBuffer.allocate(words.length * Integer.BYTES);
        bytes.asIntBuffer().put(words);
        String kept = Double.isNaN(torchNextNormal) ? "none" : Long.toHexString(Double.doubleToRawLongBits(torchNextNormal));
        return MT_STATE + Base64.getEncoder().encodeToString(bytes.array()) + ":" + kept;
    }

    /**
     * Restores a state {@link #state()} returned.
     *
     * @throws IllegalArgumentException if the text is not a state of this generator's kind
     */
    public void setState(String saved) {
        String kind = torch == null ? SPLITMIX_STATE : MT_STATE;
        if (!saved.startsWith(kind)) {
            String other = saved.startsWith(SPLITMIX_STATE) ? "a SplitMix64 generator's"
                    : saved.startsWith(MT_STATE) ? "a PyTorch generator's" : "not a generator's";
            throw new IllegalArgumentException("Rng.setState: this is a " + (torch == null ? "SplitMix64" : "PyTorch")
                    + " generator and the saved state is " + other + " (starts with '" + abbreviate(saved) + "')");
        }
        String body = saved.substring(kind.length());
        try {
            if (torch == null) {
                state = Long.parseUnsignedLong(body, 16);
                return;
            }
            int colon = body.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no ':' before the kept normal");
            }
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(body.substring(0, colon)));
            if (bytes.remaining() % Integer.BYTES != 0) {
                throw new IllegalArgumentException(bytes.remaining() + " bytes of words");
            }
            int[] words = new int[bytes.remaining() / Integer.BYTES];
            bytes.asIntBuffer().get(words);
            String kept = body.substring(colon + 1);
            double next = kept.equals("none") ? Double.NaN : Double.longBitsToDouble(Long.parseUnsignedLong(kept, 16));
            torch.setState(words);
            torchNextNormal = next;
        } catch (IllegalArgumentException e) { // NumberFormatException and Base64's errors are among them
            throw new IllegalArgumentException("Rng.setState: malformed " + (torch == null ? "SplitMix64" : "PyTorch")
                    + " state '" + abbreviate(saved) + "': " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /**
     * A new generator of the same kind on another stream, seeded from this one. A PyTorch generator gives
     * {@code Rng.pytorch(w)} for its next 32-bit word {@code w}: a child that is itself what some
     * {@code manual_seed} gives, at the price of only 2^32 possible children.
     */
    public Rng split() {
        return torch != null ? pytorch(Integer.toUnsignedLong(torch.nextWord())) : new Rng(mix(nextLong()));
    }

    /** 64 uniformly random bits (PyTorch: two words, the first in the high half, as its {@code random64()}). */
    public long nextLong() {
        if (torch != null) {
            long high = Integer.toUnsignedLong(torch.nextWord());
            return high << 32 | Integer.toUnsignedLong(torch.nextWord());
        }
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, 1)} with 24 random bits (PyTorch: the low 24 bits of one word, as {@code torch.rand}). */
    public float nextFloat() {
        if (torch != null) {
            return (torch.nextWord() & 0xFFFFFF) * 0x1.0p-24f;
        }
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in {@code [0, 1)} with 53 random bits (PyTorch: the low 53 bits of {@link #nextLong()}). */
    public double nextDouble() {
        if (torch != null) {
            return (nextLong() & ((1L << 53) - 1)) * 0x1.0p-53;
        }
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform in {@code [0, bound)} (PyTorch: one word modulo {@code bound}, as {@code torch.randint(0, bound, ...)}).
     *
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Rng.nextInt: bound must be positive, got " + bound);
        }
        if (torch != null) {
            return (int) (Integer.toUnsignedLong(torch.nextWord()) % bound);
        }
        // Multiply-shift on 32 random bits: the bias is below bound / 2^32, far under sampling noise.
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /**
     * A standard normal sample by Box-Muller. SplitMix64 uses one pair of uniforms per sample, which keeps
     * its state a single long; PyTorch keeps the pair's second value for the next call.
     */
    public double nextGaussian() {
        if (torch != null) {
            if (!Double.isNaN(torchNextNormal)) {
                double cached = torchNextNormal;
                torchNextNormal = Double.NaN;
                return cached;
            }
            double u1 = nextDouble();
            double u2 = nextDouble();
            double radius = Math.sqrt(-2.0 * Math.log(1.0 - u2));
            double theta = 2.0 * Math.PI * u1;
            torchNextNormal = radius * Math.sin(theta);
            return radius * Math.cos(theta);
        }
        double u1 = 1.0 - nextDouble(); // (0, 1]: log stays finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /**
     * A random permutation of {@code 0 .. n-1}. PyTorch ({@code torch.randperm(n)}): for each position i from
     * the first, swap in the element i + (word mod (n - i)). SplitMix64: Fisher-Yates from the last position.
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Rng.permutation: n must be >= 0, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (torch != null) {
            for (int i = 0; i < n - 1; i++) {
                swap(order, i, i + nextInt(n - i));
            }
        } else {
            for (int i = n - 1; i > 0; i--) {
                swap(order, i, nextInt(i + 1));
            }
        }
        return order;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /**
     * Fills {@code out} with N(0, 1) samples, as {@code torch.randn} fills a contiguous float tensor: one at a
     * time below 16 elements; from 16 on, uniforms for the whole tensor first, turned into normals by
     * Box-Muller in blocks of 16 (lanes j and j + 8 share a pair), the last block redrawn if 16 does not
     * divide the size. SplitMix64 draws one {@link #nextGaussian()} per element.
     */
    void fillNormal(float[] out) {
        int n = out.length;
        if (torch == null || n < TORCH_NORMAL_BLOCK) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) nextGaussian();
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            out[i] = nextFloat();
        }
        for (int i = 0; i + TORCH_NORMAL_BLOCK <= n; i += TORCH_NORMAL_BLOCK) {
            boxMullerBlock(out, i);
        }
        if (n % TORCH_NORMAL_BLOCK != 0) {
            int last = n - TORCH_NORMAL_BLOCK;
            for (int i = last; i < n; i++) {
                out[i] = nextFloat();
            }
            boxMullerBlock(out, last);
        }
    }

    /** PyTorch's {@code normal_fill_16} in float: u1 = 1 - a[j], u2 = a[j + 8]. */
    private static void boxMullerBlock(float[] a, int at) {
        int half = TORCH_NORMAL_BLOCK / 2;
        for (int j = at; j < at + half; j++) {
            float u1 = 1f - a[j];
            float u2 = a[j + half];
            float radius = (float) Math.sqrt((float) (-2.0 * (float) Math.log(u1)));
            float theta = TORCH_TWO_PI * u2;
            a[j] = radius * (float) Math.cos(theta);
            a[j + half] = radius * (float) Math.sin(theta);
        }
    }

    /**
     * One index drawn in proportion to {@code weights[base .. base+n)} (non-negative, summing to
     * {@code total > 0}, which only SplitMix64 reads). SplitMix64: inverse CDF on one uniform. PyTorch has two ways, chosen by
     * {@code torch.multinomial}'s {@code replacement} flag even for a single sample: with replacement, a
     * binary search of one uniform in the float CDF normalised by its last value; without (the default), the
     * index of the largest p_i / E_i with E_i = -ln(1 - U_i) exponential, one uniform per category.
     */
    int pickIndex(float[] weights, int base, int n, double total, boolean replacement) {
        if (torch != null && replacement) {
            float[] cdf = new float[n];
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                sum += weights[base + i];
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
            cdf[n - 1] = 1f;
            double u = nextDouble();
            int left = 0;
            int right = n;
            while (left < right) {
                int mid = left + (right - left) / 2;
                if (cdf[mid] < u) {
                    left = mid + 1;
                } else {
                    right = mid;
                }
            }
            return left;
        }
        if (torch != null) {
            int pick = 0;
            float best = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float exponential = (float) -Math.log(1.0 - nextDouble());
                float ratio = weights[base + i] / exponential;
                if (ratio > best) {
                    best = ratio;
                    pick = i;
                }
            }
            return pick;
        }
        double u = nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += weights[base + i];
            if (u < acc) {
                return i;
            }
        }
        return n - 1;
    }
}
