package io.github.gptfromscratch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.nn.Module;
import io.github.gptfromscratch.optim.AdamW;
import io.github.gptfromscratch.optim.Gradients;
import io.github.gptfromscratch.optim.Optimizer;
import io.github.gptfromscratch.optim.Sgd;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.StorageReuse;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The trainers record on storage-reusing tapes: every model trains to the same bits as on a plain tape,
 * through dropout and the composed attention, the fused attention, BatchNorm's running statistics and
 * clipping.
 */
class StorageReuseTrainingTest {

    @AfterEach
    void emptyTheFreeLists() {
        StorageReuse.clear();
    }

    @Test
    void gptWithDropoutTrainsToTheSameBits() {
        gptTrainsToTheSameBits(0.1f); // attention composed: dropout needs the weights
    }

    @Test
    void gptWithTheFusedAttentionTrainsToTheSameBits() {
        gptTrainsToTheSameBits(0f);
    }

    private static void gptTrainsToTheSameBits(float dropout) {
        Supplier<Gpt> gpt = () -> {
            Gpt g = new Gpt(new Gpt.Config(13, 8, 2, 2, 16, dropout, true), new Rng(5));
            g.train(true);
            return g;
        };
        assertArrayEquals(run(gpt, g -> new AdamW(g.namedParameters(), new AdamW.Config(0.9, 0.99, 1e-8, 0.1, false)),
                        Gpt::loss, 13, 8, false),
                run(gpt, g -> new AdamW(g.namedParameters(), new AdamW.Config(0.9, 0.99, 1e-8, 0.1, false)),
                        Gpt::loss, 13, 8, true), 0f);
    }

    @Test
    void waveNetWithBatchNormTrainsToTheSameBits() {
        Supplier<WaveNet> net = () -> {
            WaveNet w = new WaveNet(new WaveNet.Config(11, 8, 6, 20), new Rng(8));
            w.train(true);
            return w;
        };
        assertArrayEquals(run(net, w -> new Sgd(w.namedParameters()), WaveNet::loss, 11, 1, false),
                run(net, w -> new Sgd(w.namedParameters()), WaveNet::loss, 11, 1, true), 0f);
    }

    /** Six steps; the losses, then every parameter and buffer. */
    private static <M extends Module> float[] run(Supplier<M> make, java.util.function.Function<M, Optimizer> optimizer,
                                                  LossFunction<M> loss, int vocab, int targetsPerRow, boolean reuse) {
        M model = make.get();
        Optimizer opt = optimizer.apply(model);
        Rng data = new Rng(21);
        List<Float> out = new ArrayList<>();
        int block = 8;
        for (int step = 0; step < 6; step++) {
            IntTensor x = tokens(data, vocab, 4, block);
            IntTensor y = targetsPerRow == 1 ? tokens(data, vocab, 4) : tokens(data, vocab, 4, block);
            opt.zeroGrad();
            try (Tape tape = reuse ? Tape.recordReusingStorage() : Tape.record()) {
                Var l = loss.apply(model, x, y);
                tape.backward(l);
                out.add(l.value().item());
            }
            Gradients.clipGlobalNorm(opt.parameters(), 1.0);
            opt.step(0.01);
        }
        for (Tensor t : model.stateDict().values()) {
            for (float v : t.toArray()) {
                out.add(v);
            }
        }
        float[] all = new float[out.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = out.get(i);
        }
        return all;
    }

    @FunctionalInterface
    private interface LossFunction<M> {
        Var apply(M model, IntTensor x, IntTensor y);
    }

    private static IntTensor tokens(Rng rng, int vocab, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(vocab);
        }
        return IntTensor.of(t, shape);
    }
}
