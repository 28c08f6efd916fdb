package io.github.gptfromscratch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Known answers printed by CPython 3.11 ({@code random.Random(seed)}). */
class PythonRandomTest {

    private static long[] draw32(PythonRandom random, int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.getrandbits(32);
        }
        return out;
    }

    @Test
    void seed42MatchesPythonGetrandbits() {
        assertArrayEquals(new long[] {2746317213L, 478163327L, 107420369L}, draw32(new PythonRandom(42), 3));
    }

    @Test
    void seed42MatchesPythonRandom() {
        PythonRandom random = new PythonRandom(42);
        assertEquals(0.6394267984578837, random.random());
        assertEquals(0.025010755222666936, random.random());
    }

    @Test
    void wideAndNarrowBitCountsMatchPython() {
        PythonRandom random = new PythonRandom(0);
        assertEquals(7106521602475165645L, random.getrandbits(64));
        assertEquals(Long.parseUnsignedLong("16422101724900707500"), random.getrandbits(64));
        assertEquals(44756014165L, random.getrandbits(40));
        assertEquals(0, random.getrandbits(1));
        assertEquals(0, random.getrandbits(0));
    }

    @Test
    void seedsWiderThan32BitsAreSplitIntoWordsAsPythonDoes() {
        assertArrayEquals(new long[] {675479763L, 2085189291L}, draw32(new PythonRandom((1L << 32) + 5), 2));
        // Long.MIN_VALUE stands for Python's abs(-2**63) = 2**63
        assertArrayEquals(new long[] {2377109768L, 1691753470L}, draw32(new PythonRandom(Long.MIN_VALUE), 2));
    }

    @Test
    void negativeSeedGivesTheStreamOfItsAbsoluteValue() {
        assertArrayEquals(draw32(new PythonRandom(42), 5), draw32(new PythonRandom(-42), 5));
    }

    @Test
    void randbelowMatchesPython() {
        PythonRandom random = new PythonRandom(42);
        int[] bounds = {1, 2, 3, 10, 1000, 32033};
        int[] expected = {0, 0, 2, 4, 250, 7314};
        for (int i = 0; i < bounds.length; i++) {
            assertEquals(expected[i], random.randbelow(bounds[i]), "randbelow(" + bounds[i] + ") draw " + i);
        }
    }

    @Test
    void shuffleMatchesPython() {
        assertEquals(List.of(7, 3, 2, 8, 5, 6, 9, 4, 0, 1), shuffledRange(42, 10));
        assertEquals(List.of(17, 15, 11, 18, 7, 6, 19, 3, 14, 0, 9, 5, 16, 8, 13, 2, 1, 12, 4, 10),
                shuffledRange(7, 20));
    }

    private static List<Integer> shuffledRange(long seed, int n) {
        List<Integer> list = IntStream.range(0, n).boxed().collect(Collectors.toCollection(ArrayList::new));
        new PythonRandom(seed).shuffle(list);
        return list;
    }

    @Test
    void rejectsArgumentsPythonWouldNotAccept() {
        PythonRandom random = new PythonRandom(1);
        assertThrows(IllegalArgumentException.class, () -> random.getrandbits(65));
        assertThrows(IllegalArgumentException.class, () -> random.getrandbits(-1));
        assertThrows(IllegalArgumentException.class, () -> random.randbelow(0));
    }
}
