package io.github.gptfromscratch.models;

import io.github.gptfromscratch.autograd.Normalization.BatchNormStyle;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.nn.BatchNorm1d;
import io.github.gptfromscratch.nn.Embedding;
import io.github.gptfromscratch.nn.FlattenConsecutive;
import io.github.gptfromscratch.nn.Layer;
import io.github.gptfromscratch.nn.Linear;
import io.github.gptfromscratch.nn.Module;
import io.github.gptfromscratch.nn.ModuleList;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

/**
 * makemore part 5's hierarchical model: character embeddings are merged pairwise, level after level
 * (a dilated causal convolution evaluated as a tree), so 8 characters of context take 3 levels of
 * [FlattenConsecutive(2) → Linear (no bias) → BatchNorm1d → tanh], then a Linear head gives the logits.
 * Parameter names follow a PyTorch module of the same shape: {@code embedding.weight},
 * {@code layers.{i}.linear.weight}, {@code layers.{i}.bn.*}, {@code head.weight}, {@code head.bias}.
 *
 * <pre>{@code
 * WaveNet model = new WaveNet(WaveNet.Config.lecture(27), new Rng(42));   // 76,579 parameters
 * model.eval();                                                            // running statistics
 * double val = model.meanLoss(dev, 4096);
 * }</pre>
 */
public final class WaveNet extends Module implements NameModel {

    /**
     * The network's sizes.
     *
     * @param vocabSize     tokens (27)
     * @param blockSize     context length, a power of two: log2 of it is the number of levels (8 → 3)
     * @param embeddingSize size of each character's vector (24)
     * @param hiddenSize    width of every level (128)
     * @param batchNorm     how the levels' batch norm measures spread: {@code PYTORCH} is
     *                      {@code nn.BatchNorm1d}, {@code UNBIASED} the lecture notebook's own layer
     */
    public record Config(int vocabSize, int blockSize, int embeddingSize, int hiddenSize, BatchNormStyle batchNorm) {

        /** Checks positive sizes, a power-of-two context of at least 2 and a style of PYTORCH or UNBIASED. */
        public Config {
            if (vocabSize < 1 || embeddingSize < 1 || hiddenSize < 1) {
                throw new IllegalArgumentException("WaveNet.Config: sizes must be positive, got vocab=" + vocabSize
                        + ", embedding=" + embeddingSize + ", hidden=" + hiddenSize);
            }
            if (batchNorm == null || batchNorm == BatchNormStyle.LECTURE) {
                throw new IllegalArgumentException("WaveNet.Config: batch norm style must be PYTORCH or UNBIASED, got "
                        + batchNorm);
            }
            if (blockSize < 2 || Integer.bitCount(blockSize) != 1) {
                throw new IllegalArgumentException("WaveNet.Config: block size must be a power of two >= 2, got "
                        + blockSize);
            }
        }

        /** With {@code nn.BatchNorm1d}'s batch norm (what the golden file checks); {@link #lecture} uses the notebook's. */
        public Config(int vocabSize, int blockSize, int embeddingSize, int hiddenSize) {
            this(vocabSize, blockSize, embeddingSize, hiddenSize, BatchNormStyle.PYTORCH);
        }

        /**
         * The lecture's final network: context 8, embedding 24, hidden 128, and the notebook's batch norm
         * (unbiased variance), so that with {@code Rng.pytorch(42)} it trains as the notebook did.
         */
        public static Config lecture(int vocabSize) {
            return new Config(vocabSize, 8, 24, 128, BatchNormStyle.UNBIASED);
        }

        /** Number of merge levels, log2(blockSize). */
        public int levels() {
            return Integer.numberOfTrailingZeros(blockSize);
        }
    }

    /** One level: pairs of neighbours concatenated, projected, normalised, squashed. */
    private static final class Level extends Layer {

        private final FlattenConsecutive merge = new FlattenConsecutive(2);
        private final Linear linear;
        private final BatchNorm1d bn;

        Level(int in, int out, BatchNormStyle style, Rng rng) {
            this.linear = register("linear", new Linear(lectureWeight(in, out, rng), null));
            this.bn = register("bn", new BatchNorm1d(out, 0.1f, 1e-5f, style));
        }

        @Override
        public Var forward(Var x) {
            return bn.forward(linear.forward(merge.forward(x))).tanh();
        }
    }

    private final Config config;
    private final Embedding embedding;
    private final ModuleList<Level> layers;
    private final Linear head;

    /** A freshly initialised network. */
    public WaveNet(Config config, Rng rng) {
        this.config = config;
        this.embedding = register("embedding", new Embedding(config.vocabSize(), config.embeddingSize(), rng));
        this.layers = register("layers", new ModuleList<>());
        int width = config.embeddingSize();
        for (int level = 0; level < config.levels(); level++) {
            layers.add(new Level(2 * width, config.hiddenSize(), config.batchNorm(), rng));
            width = config.hiddenSize();
        }
        // A small last layer makes the first predictions nearly uniform (loss ≈ ln 27, not far above it).
        Tensor headWeight = lectureWeight(config.hiddenSize(), config.vocabSize(), rng).mul(0.1f);
        this.head = register("head", new Linear(headWeight, Tensor.zeros(config.vocabSize())));
    }

    /**
     * The lecture's Linear weight, {@code torch.randn((fan_in, fan_out)) / fan_in**0.5} (no tanh gain),
     * drawn in that {@code [in, out]} order, so that PyTorch's generator gives the notebook's numbers, and
     * returned as {@code [out, in]}.
     */
    private static Tensor lectureWeight(int in, int out, Rng rng) {
        return Tensor.randn(rng, in, out).div((float) Math.sqrt(in)).transpose(0, 1);
    }

    /** The configuration it was built with. */
    public Config config() {
        return config;
    }

    @Override
    public int blockSize() {
        return config.blockSize();
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public Var logits(IntTensor x) {
        checkContexts("WaveNet", x);
        Var h = embedding.forward(x);
        for (Level level : layers.items()) {
            h = level.forward(h);
        }
        return head.forward(h);
    }
}
