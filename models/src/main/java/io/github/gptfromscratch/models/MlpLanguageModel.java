package io.github.gptfromscratch.models;

import io.github.gptfromscratch.autograd.Indexing;
import io.github.gptfromscratch.autograd.MatMul;
import io.github.gptfromscratch.autograd.Normalization.BatchNormStyle;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.nn.BatchNorm1d;
import io.github.gptfromscratch.nn.Module;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

/**
 * The MLP language model of Bengio et al. 2003 as built in makemore parts 2 and 3: look up an
 * embedding for each of the {@code blockSize} previous characters in C, concatenate them, one tanh
 * hidden layer, then logits. Weights are {@code [in, out]} as in the notebooks (h = emb·W1 + b1), so the
 * parameters are named {@code C}, {@code W1}, {@code b1}, {@code W2}, {@code b2} like the notebook's
 * tensors.
 *
 * <p>{@link Config#batchNorm()} gives part 3's final network: BatchNorm1d between W1 and tanh (b1 is
 * dropped, BatchNorm's bias replaces it; the notebook's own layer: unbiased standard deviation without
 * eps, a running mean and standard deviation with momentum 0.001), and
 * {@link Config#scaledInit()} the part-3 initialisation fixes (W1 × (5/3)/√(n_in), W2 × 0.01, b2 = 0).
 *
 * <pre>{@code
 * MlpLanguageModel model = new MlpLanguageModel(MlpLanguageModel.Config.part3(27), new Rng(2147483647));
 * Var loss = model.loss(batch.x(), batch.y());
 * }</pre>
 */
public final class MlpLanguageModel extends Module implements NameModel {

    /** The BatchNorm momentum of part 3 ({@code bnmean_running = 0.999·bnmean_running + 0.001·bnmeani}). */
    public static final float LECTURE_BATCHNORM_MOMENTUM = 0.001f;
    /** tanh's gain in Kaiming initialisation. */
    private static final double TANH_GAIN = 5.0 / 3.0;

    /**
     * The shape and variant of the network.
     *
     * @param vocabSize     tokens (27 for names)
     * @param blockSize     context length (3 in the lectures)
     * @param embeddingSize size of each character's vector (10)
     * @param hiddenSize    hidden units (200)
     * @param scaledInit    part 3's initialisation instead of plain N(0, 1) everywhere
     * @param batchNorm     BatchNorm1d before tanh, without b1
     */
    public record Config(int vocabSize, int blockSize, int embeddingSize, int hiddenSize, boolean scaledInit,
                         boolean batchNorm) {

        /** Checks that every size is positive. */
        public Config {
            if (vocabSize < 1 || blockSize < 1 || embeddingSize < 1 || hiddenSize < 1) {
                throw new IllegalArgumentException("MlpLanguageModel.Config: sizes must be positive, got vocab="
                        + vocabSize + ", block=" + blockSize + ", embedding=" + embeddingSize + ", hidden=" + hiddenSize);
            }
        }

        /** Part 2: context 3, embedding 10, hidden 200, plain N(0, 1) initialisation (11,897 parameters). */
        public static Config part2(int vocabSize) {
            return new Config(vocabSize, 3, 10, 200, false, false);
        }

        /** Part 3's final network: part 2 with the scaled init and BatchNorm (12,097 parameters). */
        public static Config part3(int vocabSize) {
            return new Config(vocabSize, 3, 10, 200, true, true);
        }
    }

    private final Config config;
    private final Var embeddings;
    private final Var w1;
    private final Var b1;
    private final BatchNorm1d batchNorm;
    private final Var w2;
    private final Var b2;

    /**
     * A freshly initialised network, drawing C, W1, b1 (not with BatchNorm), W2, b2 from {@code rng} in that
     * order, as the notebooks do: with {@code Rng.pytorch(2147483647)} these are their initial weights.
     */
    public MlpLanguageModel(Config config, Rng rng) {
        this.config = config;
        int in = config.blockSize() * config.embeddingSize();
        int hidden = config.hiddenSize();
        this.embeddings = parameter("C", Tensor.randn(rng, config.vocabSize(), config.embeddingSize()));
        Tensor w1Init = Tensor.randn(rng, in, hidden);
        // Part 3 comments b1 out, so it draws nothing for it: with PyTorch's generator, W2 and b2 stay the notebook's.
        Tensor b1Init = config.batchNorm() ? null : Tensor.randn(rng, hidden);
        Tensor w2Init = Tensor.randn(rng, hidden, config.vocabSize());
        Tensor b2Init = Tensor.randn(rng, config.vocabSize());
        if (config.scaledInit()) {
            // Kaiming for tanh keeps the pre-activations near unit variance; a small W2 and zero b2 make
            // the initial logits nearly uniform, so the first loss is about ln(vocab) instead of ~27.
            // In the notebook's order: W1 * (5/3) / (n_in ** 0.5).
            w1Init = w1Init.mul((float) TANH_GAIN).div((float) Math.sqrt(in));
            w2Init.mulInPlace(0.01f);
            b2Init.fill(0f);
        }
        this.w1 = parameter("W1", w1Init);
        // With BatchNorm, b1 would be subtracted away by the batch mean: the lecture removes it.
        this.b1 = config.batchNorm() ? null : parameter("b1", b1Init);
        this.batchNorm = config.batchNorm()
                ? register("bn", new BatchNorm1d(hidden, LECTURE_BATCHNORM_MOMENTUM, 0f, BatchNormStyle.LECTURE))
                : null;
        this.w2 = parameter("W2", w2Init);
        this.b2 = parameter("b2", b2Init);
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
        checkContexts("MlpLanguageModel", x);
        int batch = x.size(0);
        Var emb = Indexing.embedding(embeddings, x).reshape(batch, config.blockSize() * config.embeddingSize());
        // b1 is null with BatchNorm; affine starts each product from its bias instead of adding it after.
        Var preActivation = MatMul.affine(emb, w1, b1);
        if (batchNorm != null) {
            preActivation = batchNorm.forward(preActivation);
        }
        return MatMul.affine(preActivation.tanh(), w2, b2);
    }
}
