package io.github.gptfromscratch.data;

import io.github.gptfromscratch.tensor.Mt19937;
import java.util.List;

/**
 * The part of CPython's {@code random} module needed to reproduce Karpathy's data splits bit for bit:
 * the Mersenne Twister (MT19937) seeded from an integer as {@code random.seed(n)} does,
 * {@code getrandbits}, {@code _randbelow}, {@code random()} and {@code shuffle}.
 *
 * <p>The makemore notebooks split the names with {@code random.seed(42); random.shuffle(words)}; any
 * other generator would put different words in the train, dev and test sets, and the published losses
 * would no longer be comparable. For everything else use the library's {@code Rng}.
 *
 * <pre>{@code
 * List<String> words = new ArrayList<>(List.of("emma", "olivia", "ava"));
 * new PythonRandom(42).shuffle(words); // the order Python's random.shuffle gives after random.seed(42)
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class PythonRandom {

    private final Mt19937 engine;

    /**
     * A generator in the state {@code random.seed(seed)} leaves Python's generator in.
     *
     * <p>Python seeds from the absolute value of the integer, split into 32-bit words, least
     * significant first; a negative seed therefore gives the same stream as its absolute value.
     */
    public PythonRandom(long seed) {
        // -Long.MIN_VALUE overflows back to Long.MIN_VALUE, which read as unsigned is 2^63: still |seed|.
        long magnitude = seed < 0 ? -seed : seed;
        int low = (int) magnitude;
        int high = (int) (magnitude >>> 32);
        this.engine = Mt19937.fromWords(high == 0 ? new int[] {low} : new int[] {low, high});
    }

    private int nextWord() {
        return engine.nextWord();
    }

    /**
     * {@code random.getrandbits(k)}: a uniformly random non-negative integer of {@code k} bits.
     *
     * <p>For {@code k = 64} the result is read as an unsigned {@code long}.
     *
     * @throws IllegalArgumentException if {@code k} is outside {@code [0, 64]}
     */
    public long getrandbits(int k) {
        if (k < 0 || k > 64) {
            throw new IllegalArgumentException("getrandbits: k must be in [0, 64], got " + k);
        }
        if (k == 0) {
            return 0;
        }
        if (k <= 32) {
            // Python keeps the most significant bits of the word.
            return Integer.toUnsignedLong(nextWord()) >>> (32 - k);
        }
        // Wider values are assembled from 32-bit words, least significant word first.
        long low = Integer.toUnsignedLong(nextWord());
        long high = Integer.toUnsignedLong(nextWord()) >>> (64 - k);
        return low | (high << 32);
    }

    /**
     * {@code random._randbelow(n)}: uniform in {@code [0, n)} by rejection sampling on
     * {@code n.bit_length()} random bits, which is how {@code shuffle}, {@code randrange} and
     * {@code choice} draw.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public int randbelow(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("randbelow: n must be at least 1, got " + n);
        }
        int bits = 32 - Integer.numberOfLeadingZeros(n);
        long r = getrandbits(bits);
        while (r >= n) {
            r = getrandbits(bits);
        }
        return (int) r;
    }

    /** {@code random.random()}: uniform in {@code [0, 1)} with 53 random bits. */
    public double random() {
        long a = Integer.toUnsignedLong(nextWord()) >>> 5;
        long b = Integer.toUnsignedLong(nextWord()) >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** {@code random.shuffle(list)}: Fisher-Yates in place, walking from the last element to the second. */
    public <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }
}
