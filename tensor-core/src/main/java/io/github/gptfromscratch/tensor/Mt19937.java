package io.github.gptfromscratch.tensor;

import java.util.Arrays;

/**
 * The 32-bit Mersenne Twister (Matsumoto and Nishimura, 1998), the engine behind both CPython's
 * {@code random} module and PyTorch's CPU generator. They differ only in how they seed it: PyTorch with
 * one 32-bit word ({@link #fromWord}), CPython with an array of words ({@link #fromWords}).
 *
 * <p>Not thread-safe.
 */
public final class Mt19937 {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int index;

    private Mt19937() {
    }

    /** The reference {@code init_genrand(seed)}: what {@code torch.manual_seed} does with the seed's low 32 bits. */
    public static Mt19937 fromWord(int seed) {
        Mt19937 g = new Mt19937();
        g.initGenrand(seed);
        return g;
    }

    /** The reference {@code init_by_array(key)}: what CPython's {@code random.seed(n)} does with n's 32-bit words. */
    public static Mt19937 fromWords(int[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("Mt19937.fromWords: the key needs at least one word");
        }
        Mt19937 g = new Mt19937();
        g.initGenrand(19650218);
        int i = 1;
        int j = 0;
        int[] mt = g.mt;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = UPPER_MASK; // guarantees a non-zero initial state
        return g;
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    /** The whole state: the 624 words of the table, then the index of the next one to temper. */
    int[] state() {
        int[] words = Arrays.copyOf(mt, N + 1);
        words[N] = index;
        return words;
    }

    /** Puts the generator back in a state {@link #state()} returned. */
    void setState(int[] words) {
        if (words.length != N + 1 || words[N] < 0 || words[N] > N) {
            throw new IllegalArgumentException("Mt19937: a state is " + (N + 1) + " words ending in an index in [0, " + N
                    + "], got " + words.length + " words" + (words.length == N + 1 ? " ending in " + words[N] : ""));
        }
        System.arraycopy(words, 0, mt, 0, N);
        index = words[N];
    }

    /** The next 32 output bits, as an unsigned value held in an {@code int}. */
    public int nextWord() {
        if (index >= N) {
            regenerate();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void regenerate() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }
}
