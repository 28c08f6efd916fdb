package io.github.gptfromscratch.models;

import io.github.gptfromscratch.nn.Module;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With PyTorch's generator, {@link Gpt} draws nanoGPT's initial weights for a seed: nn.Linear's and
 * nn.Embedding's default init at construction (lm_head's too, before it is tied), then
 * {@code apply(_init_weights)} in module order and the second pass over the residual projections. The
 * expected values are printed by {@code benchmarks/pytorch/reference.py gpt-init [--bias]} (PyTorch 1.13,
 * seed 1337, a 2-layer, 2-head, 16-wide model with block 8 and vocabulary 65); PyTorch's vectorised
 * Box-Muller is within a few float ulps of ours, hence the tolerance.
 */
class GptPytorchDrawsTest {

    private record Expected(String name, double[] first, double last, double sum) {
    }

    private static final List<Expected> NO_BIAS = List.of(
            new Expected("transformer.wte.weight", new double[] {-0.011699963361024857, -0.01734277606010437, 0.015385718084871769}, -0.003888903185725212, 0.20252970380380475),
            new Expected("transformer.wpe.weight", new double[] {0.004382099956274033, -0.010881415568292141, 0.009222356602549553}, 0.012119135819375515, -0.15309398566205346),
            new Expected("transformer.h.0.ln_1.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0),
            new Expected("transformer.h.0.attn.c_attn.weight", new double[] {0.004050813149660826, 0.010844671167433262, -0.009031709283590317}, -0.023526906967163086, 0.07942900396756158),
            new Expected("transformer.h.0.attn.c_proj.weight", new double[] {0.0013312469236552715, -0.0024347768630832434, 0.014079022221267223}, -0.014105189591646194, 0.07887104392966648),
            new Expected("transformer.h.0.ln_2.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0),
            new Expected("transformer.h.0.mlp.c_fc.weight", new double[] {0.009791898541152477, 0.007896552793681622, -0.0467161126434803}, 0.00829281099140644, -0.4606081212514255),
            new Expected("transformer.h.0.mlp.c_proj.weight", new double[] {-0.015333039686083794, 0.015115921385586262, 0.003509791102260351}, 0.015355110168457031, 0.17343063736097974),
            new Expected("transformer.h.1.ln_1.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0),
            new Expected("transformer.h.1.attn.c_attn.weight", new double[] {-0.004035193007439375, -0.01403343677520752, 0.042414870113134384}, 0.04338671267032623, 0.3915000820827004),
            new Expected("transformer.h.1.attn.c_proj.weight", new double[] {0.011961078271269798, 0.0017935854848474264, 0.0069488114677369595}, 0.005197042133659124, 0.21637259705312317),
            new Expected("transformer.h.1.ln_2.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0),
            new Expected("transformer.h.1.mlp.c_fc.weight", new double[] {-0.010743221268057823, -0.007406066637486219, 0.006699377670884132}, 0.025954753160476685, -0.021469135041115806),
            new Expected("transformer.h.1.mlp.c_proj.weight", new double[] {0.004664449021220207, 0.004609415307641029, -0.001714735641144216}, 0.002935943426564336, 0.26664112366415793),
            new Expected("transformer.ln_f.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0));

    private static final List<Expected> BIAS = List.of(
            new Expected("transformer.wte.weight", new double[] {-0.053145840764045715, 0.030430257320404053, -0.015613432973623276}, -0.013751636259257793, 0.28217986427534925),
            new Expected("transformer.wpe.weight", new double[] {-0.000327028043102473, -0.01944657601416111, 0.032301370054483414}, 0.03202077001333237, 0.12594262629863806),
            new Expected("transformer.h.0.ln_1.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0),
            new Expected("transformer.h.0.ln_1.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.0.attn.c_attn.weight", new double[] {-0.0007868013926781714, 0.006126482971012592, 0.0020290506072342396}, 0.0033036167733371258, -0.003072163090109825),
            new Expected("transformer.h.0.attn.c_attn.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.0.attn.c_proj.weight", new double[] {0.0008072899654507637, 0.006357928272336721, -0.0028216736391186714}, 0.018928706645965576, 0.34464996292081196),
            new Expected("transformer.h.0.attn.c_proj.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.0.ln_2.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0),
            new Expected("transformer.h.0.ln_2.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.0.mlp.c_fc.weight", new double[] {-0.003137229708954692, 0.012690610252320766, 0.016960492357611656}, -0.004216440953314304, -0.7988827165681869),
            new Expected("transformer.h.0.mlp.c_fc.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.0.mlp.c_proj.weight", new double[] {0.004027726594358683, 0.0033419777173548937, 0.0034303145948797464}, -0.0047610243782401085, 0.06752334386601433),
            new Expected("transformer.h.0.mlp.c_proj.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.1.ln_1.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0),
            new Expected("transformer.h.1.ln_1.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.1.attn.c_attn.weight", new double[] {-0.015815360471606255, 0.02824580855667591, -0.008855650201439857}, -0.009919760748744011, 0.07340812716319078),
            new Expected("transformer.h.1.attn.c_attn.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.1.attn.c_proj.weight", new double[] {0.011285643093287945, 0.020489756017923355, -0.0005225054337643087}, 0.004872861318290234, 0.07574596049380489),
            new Expected("transformer.h.1.attn.c_proj.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.1.ln_2.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0),
            new Expected("transformer.h.1.ln_2.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.1.mlp.c_fc.weight", new double[] {3.2308787922374904e-05, 0.036409199237823486, 0.00732027692720294}, 0.011619655415415764, 0.37296201949720853),
            new Expected("transformer.h.1.mlp.c_fc.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.h.1.mlp.c_proj.weight", new double[] {0.006531453691422939, 0.011572349816560745, 0.013174280524253845}, -0.005512874573469162, 0.48091736178275823),
            new Expected("transformer.h.1.mlp.c_proj.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0),
            new Expected("transformer.ln_f.weight", new double[] {1.0, 1.0, 1.0}, 1.0, 16.0),
            new Expected("transformer.ln_f.bias", new double[] {0.0, 0.0, 0.0}, 0.0, 0.0));

    @Test
    void theInitialWeightsAreNanoGptsForItsSeed() {
        check(new Gpt(new Gpt.Config(65, 8, 2, 2, 16, 0f, false), Rng.pytorch(1337)), NO_BIAS);
    }

    @Test
    void withBiasesToo() {
        check(new Gpt(new Gpt.Config(65, 8, 2, 2, 16, 0f, true), Rng.pytorch(1337)), BIAS);
    }

    @Test
    void theGeneratorThenDrawsNanoGptsFirstBatch() {
        Gpt gpt = new Gpt(new Gpt.Config(65, 8, 2, 2, 16, 0f, false), Rng.pytorch(1337));
        int[] starts = new int[4];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = gpt.rng().nextInt(1000 - 8); // get_batch: torch.randint(len(data) - block_size, (batch,))
        }
        assertArrayEquals(new int[] {110, 548, 244, 936}, starts);
    }

    private static void check(Module gpt, List<Expected> expected) {
        Map<String, Tensor> weights = gpt.stateDict();
        assertEquals(expected.size(), weights.size(), "parameters: " + weights.keySet());
        for (Expected e : expected) {
            float[] w = weights.get(e.name()).contiguous().toArray();
            for (int i = 0; i < e.first().length; i++) {
                assertEquals(e.first()[i], w[i], 1e-6 * Math.max(1e-2, Math.abs(e.first()[i])), e.name() + "[" + i + "]");
            }
            assertEquals(e.last(), w[w.length - 1], 1e-6 * Math.max(1e-2, Math.abs(e.last())), e.name() + " last");
            double sum = 0;
            for (float v : w) {
                sum += v;
            }
            assertEquals(e.sum(), sum, 1e-5, e.name() + " sum");
        }
    }
}
