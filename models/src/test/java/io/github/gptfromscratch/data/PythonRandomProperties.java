package io.github.gptfromscratch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PythonRandomProperties {

    @Property(tries = 200)
    void randbelowStaysBelowTheBound(@ForAll long seed, @ForAll @IntRange(min = 1) int bound) {
        PythonRandom random = new PythonRandom(seed);
        for (int i = 0; i < 20; i++) {
            int r = random.randbelow(bound);
            assertTrue(r >= 0 && r < bound, "seed " + seed + ": randbelow(" + bound + ") gave " + r);
        }
    }

    @Property(tries = 200)
    void getrandbitsUsesOnlyTheRequestedBits(@ForAll long seed, @ForAll @IntRange(min = 1, max = 63) int bits) {
        long r = new PythonRandom(seed).getrandbits(bits);
        assertEquals(0, r >>> bits, "seed " + seed + ": getrandbits(" + bits + ") gave " + r);
    }

    @Property(tries = 100)
    void shuffleIsAPermutation(@ForAll long seed, @ForAll @IntRange(max = 300) int n) {
        List<Integer> list = IntStream.range(0, n).boxed().collect(Collectors.toCollection(ArrayList::new));
        new PythonRandom(seed).shuffle(list);
        List<Integer> sorted = new ArrayList<>(list);
        sorted.sort(null);
        assertEquals(IntStream.range(0, n).boxed().collect(Collectors.toList()), sorted, "seed " + seed);
    }
}
