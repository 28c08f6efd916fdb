package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code Rng.pytorch(seed)} draws what PyTorch 1.13's CPU generator draws. The expected values were printed
 * by {@code benchmarks/pytorch/torch_rng_reference.py} (Debian's python3-torch 1.13.1); integers and
 * uniforms must agree exactly, normals to two float ulps (PyTorch takes log, sin and cos of sixteen values
 * at a time from polynomial approximations, we from the correctly rounded functions).
 */
final class PytorchRngTest {

    private static final double NORMAL_TOLERANCE = 2.5e-7;

    private static void assertNormals(double[] expected, Tensor actual, String what) {
        float[] got = actual.toArray();
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], NORMAL_TOLERANCE * Math.max(1, Math.abs(expected[i])),
                    what + " element " + i + " of " + Arrays.toString(got));
        }
    }

    @Test
    void randnFollowsPytorchsScalarBlockAndTailPaths() {
        Rng g = Rng.pytorch(2147483647);
        // Below 16 elements one Box-Muller pair per two values; from 16 on, blocks of 16; 17 and 27 redraw a tail.
        assertNormals(new double[] {-0.9800073504447937}, Tensor.randn(g, 1), "randn(1)");
        assertNormals(new double[] {-1.6578478813171387, -0.05716622993350029, -0.34085410833358765,
                2.0991551876068115, 0.8963767886161804}, Tensor.randn(g, 5), "randn(5)");
        Tensor.randn(g, 15);
        assertNormals(new double[] {0.8371972441673279, -0.4971446692943573, -0.9397953748703003,
                0.13428707420825958, 0.054010938853025436, -1.7400306463241577, 0.11559642851352692,
                0.8031929135322571, 1.065638542175293, -0.01154217217117548, 0.48346081376075745,
                -0.3164006769657135, 0.38011646270751953, 0.4732840359210968, -0.9102707505226135,
                -0.7830496430397034}, Tensor.randn(g, 16), "randn(16)");
        assertNormals(new double[] {-0.11581916362047195, -0.1525612771511078, -1.929668664932251,
                -0.07886011898517609, -1.1640658378601074, 1.2472796440124512, -0.2706054151058197,
                -1.3635324239730835, 1.3065752983093262, -0.5923383831977844, -0.642601728439331,
                -0.1000276505947113, -1.2575125694274902, 0.9417989253997803, -1.3256750106811523,
                0.14669643342494965, 0.1691337674856186}, Tensor.randn(g, 17), "randn(17)");
        assertNormals(new double[] {-1.1645078659057617, 1.8009580373764038, 0.4707351326942444,
                -0.8746175169944763, -0.29770681262016296, -1.3706518411636353, 0.11499851942062378,
                -1.0188171863555908, 1.3034119606018066, -1.1887441873550415, 0.8047454357147217,
                -0.3794057071208954, -0.9874782562255859, -1.1833157539367676, 1.522178053855896,
                0.4390546381473541, 0.16933172941207886, 0.20348863303661346, -0.18944799900054932,
                -1.7484784126281738, 0.6706221699714661, 0.3350883424282074, -0.5350930690765381,
                -1.19530189037323, -0.7016313076019287, 1.8945260047912598, 2.3380043506622314},
                Tensor.randn(g, 27), "randn(27)");
    }

    @Test
    void smallRandnKeepsTheSecondValueOfAPairForTheNextCall() {
        Rng g = Rng.pytorch(5);
        Tensor three = Tensor.randn(g, 3);
        Tensor one = Tensor.randn(g, 1);
        Tensor twenty = Tensor.randn(g, 20);
        assertNormals(new double[] {-0.4867807626724243, -0.6038215756416321, -0.5580962300300598}, three, "randn(3)");
        assertNormals(new double[] {0.6675242781639099}, one, "randn(1), the cached value");
        assertNormals(new double[] {0.2582516372203827, -1.8833262920379639, 1.2800921201705933, 1.130446195602417},
                twenty.slice(0, 0, 4), "randn(20)[:4]");
    }

    @Test
    void uniformsAreExact() {
        Rng g = Rng.pytorch(42);
        float[] rand = Tensor.uniform(g, 0f, 1f, 1000).slice(0, 0, 6).toArray();
        assertArrayEquals(new float[] {0.8822692632675171f, 0.9150039553642273f, 0.38286375999450684f,
                0.9593056440353394f, 0.3904482126235962f, 0.600895345211029f}, rand);
        float[] shifted = Tensor.uniform(g, -0.5f, 0.5f, 37).slice(0, 0, 6).toArray();
        assertArrayEquals(new float[] {0.22939997911453247f, -0.22711575031280518f, -0.25932979583740234f,
                0.11945772171020508f, -0.26093101501464844f, -0.2310798168182373f}, shifted);
    }

    @Test
    void randintAndRandpermAreExact() {
        Rng g = Rng.pytorch(2147483647);
        int[] rows = new int[6];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = g.nextInt(182625);
        }
        assertArrayEquals(new int[] {138156, 41144, 63274, 75447, 70028, 82980}, rows, "torch.randint(0, 182625, ...)");
        assertArrayEquals(new int[] {9, 1, 5, 7, 3, 2, 8, 6, 4, 0}, Rng.pytorch(3407).permutation(10));
        assertArrayEquals(new int[] {18545, 10853, 360, 10522, 2312, 27407},
                Arrays.copyOf(Rng.pytorch(3407).permutation(32033), 6), "makemore.py's split permutation");
    }

    @Test
    void multinomialFollowsBothOfPytorchsAlgorithms() {
        Tensor p = Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0f, 0.5f}).reshape(1, 6);
        int[] expectedDefault = {1, 5, 1, 5, 3, 5, 1, 3, 2, 5, 5, 3, 2, 1, 0, 5, 3, 3, 2, 5, 3, 2, 0, 3, 5, 5, 0, 5, 3, 5};
        int[] expectedReplacement = {2, 2, 5, 3, 5, 5, 2, 3, 5, 5, 0, 0, 1, 0, 1, 5, 0, 5, 1, 5, 5, 5, 3, 2, 5, 5, 5, 5, 1, 5};
        Rng exponential = Rng.pytorch(7);
        Rng inverseCdf = Rng.pytorch(7);
        int[] gotDefault = new int[30];
        int[] gotReplacement = new int[30];
        for (int i = 0; i < 30; i++) {
            gotDefault[i] = p.multinomial(exponential).get(0);
            gotReplacement[i] = p.multinomial(inverseCdf, true).get(0);
        }
        assertArrayEquals(expectedDefault, gotDefault, "torch.multinomial(p, 1)");
        assertArrayEquals(expectedReplacement, gotReplacement, "torch.multinomial(p, 1, replacement=True)");
    }

    @Test
    void aRestoredStateContinuesTheStreamOfEitherKind() {
        for (Rng g : new Rng[] {Rng.pytorch(1337), new Rng(1337)}) {
            // Odd draws: the engine mid-table, and a PyTorch generator keeping the second value of a pair.
            for (int i = 0; i < 700; i++) {
                g.nextInt(1000);
            }
            g.nextGaussian();
            String saved = g.state();
            Rng resumed = g.isPytorch() ? Rng.pytorch(0) : new Rng(0);
            resumed.setState(saved);
            assertEquals(saved, resumed.state());
            assertEquals(g.nextGaussian(), resumed.nextGaussian(), "the kept Box-Muller value, " + saved.substring(0, 8));
            for (int i = 0; i < 2000; i++) { // across the engine's table regeneration
                assertEquals(g.nextLong(), resumed.nextLong(), "draw " + i);
            }
        }
    }

    @Test
    void aStateOfTheOtherKindOrMalformedIsRefusedByName() {
        Rng torch = Rng.pytorch(1);
        assertTrue(torch.isPytorch());
        assertFalse(new Rng(1).isPytorch());
        assertTrue(torch.split().isPytorch());
        var e = assertThrows(IllegalArgumentException.class, () -> torch.setState(new Rng(1).state()));
        assertTrue(e.getMessage().contains("PyTorch generator and the saved state is a SplitMix64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Rng(1).setState(torch.state()));
        assertTrue(e.getMessage().contains("SplitMix64 generator and the saved state is a PyTorch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> torch.setState("mt19937:AAAAAA==:none"));
        assertTrue(e.getMessage().contains("malformed PyTorch state") && e.getMessage().contains("625 words"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Rng(1).setState("splitmix64:xyz"));
        assertTrue(e.getMessage().contains("malformed SplitMix64 state"), e.getMessage());
        torch.nextGaussian(); // keeps a value, so that the kept value's restore is visible too
        String before = torch.state();
        assertThrows(IllegalArgumentException.class, () -> torch.setState(before.substring(0, before.lastIndexOf(':')) + ":zz"));
        assertThrows(IllegalArgumentException.class, () -> torch.setState("mt19937:AAAAAA==:none"));
        assertEquals(before, torch.state(), "a refused state leaves the generator as it was");
    }

    @Test
    void eachGeneratorNamesItsKindAsTheCommandsDo() {
        assertEquals("pytorch", Rng.pytorch(1).kind());
        assertEquals("splitmix", new Rng(1).kind());
        assertEquals("splitmix", new Rng(1).split().kind());
    }
}
