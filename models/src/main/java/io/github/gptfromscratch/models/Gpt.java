package io.github.gptfromscratch.models;

import io.github.gptfromscratch.autograd.Attention;
import io.github.gptfromscratch.autograd.MatMul;
import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.nn.Dropout;
import io.github.gptfromscratch.nn.Embedding;
import io.github.gptfromscratch.nn.Init;
import io.github.gptfromscratch.nn.LayerNorm;
import io.github.gptfromscratch.nn.Linear;
import io.github.gptfromscratch.nn.Module;
import io.github.gptfromscratch.nn.ModuleList;
import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.Arrays;

/**
 * A decoder-only Transformer language model, as nanoGPT's {@code model.py}: token and position
 * embeddings, pre-norm blocks of causal self-attention and a 4× GELU MLP with residual connections,
 * a final LayerNorm, and an LM head tied to the token embedding. The same file builds makemore.py's
 * Transformer for names ({@link Config#makemore}: biases, tanh GELU, its own LM head, PyTorch's default
 * initialisation).
 *
 * <p>Parameter names and layouts are nanoGPT's state-dict keys ({@code transformer.h.0.attn.c_attn.weight}
 * as {@code [3C, C]}, …), so weights move between this library and PyTorch without renaming.
 *
 * <pre>{@code
 * Gpt gpt = new Gpt(new Gpt.Config(65, 64, 4, 4, 128, 0f, true), new Rng(1337));
 * try (Tape tape = Tape.record()) {
 *     Var loss = gpt.loss(x, y);       // x, y: IntTensor [B, T]
 *     tape.backward(loss);
 * }
 * }</pre>
 */
public final class Gpt extends Module {

    /** Which GELU the MLP uses: the exact erf form (nanoGPT, {@code nn.GELU}) or the tanh approximation (GPT-2, makemore). */
    public enum Gelu { ERF, TANH }

    /**
     * The architecture; validated on construction.
     *
     * @param bias      biases in every Linear and LayerNorm
     * @param gelu      the MLP's activation
     * @param tiedHead  whether the LM head is the token embedding (nanoGPT) or its own
     *                  {@code lm_head.weight} {@code [vocab, C]} without bias (makemore)
     */
    public record Config(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, float dropout, boolean bias,
                         Gelu gelu, boolean tiedHead) {
        /** Validates the sizes, the head split and the dropout. */
        public Config {
            if (vocabSize <= 0 || blockSize <= 0 || nLayer <= 0 || nHead <= 0 || nEmbd <= 0) {
                throw new IllegalArgumentException("Gpt.Config: sizes must be positive, got vocab_size=" + vocabSize
                        + ", block_size=" + blockSize + ", n_layer=" + nLayer + ", n_head=" + nHead + ", n_embd=" + nEmbd);
            }
            if (nEmbd % nHead != 0) {
                throw new IllegalArgumentException("Gpt.Config: n_head=" + nHead + " does not divide n_embd=" + nEmbd);
            }
            if (!(dropout >= 0f && dropout < 1f)) {
                throw new IllegalArgumentException("Gpt.Config: dropout=" + dropout + " is not in [0, 1)");
            }
            if (gelu == null) {
                throw new IllegalArgumentException("Gpt.Config: gelu must be ERF or TANH, got null");
            }
        }

        /** nanoGPT's model: exact GELU and an LM head tied to the token embedding. */
        public Config(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, float dropout, boolean bias) {
            this(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, Gelu.ERF, true);
        }

        /** nanoGPT's CPU recipe for tiny shakespeare: 4 layers, 4 heads, 128 wide, 64 tokens of context, no biases (train.py's default). */
        public static Config shakespeareCpu(int vocabSize) {
            return new Config(vocabSize, 64, 4, 4, 128, 0f, false);
        }

        /**
         * makemore.py's default Transformer for names: 4 layers, 4 heads, 64 wide, biases, tanh GELU, no
         * dropout and a separate LM head; {@code blockSize} is the longest word + 1 (16 for names.txt).
         */
        public static Config makemore(int vocabSize, int blockSize) {
            return new Config(vocabSize, blockSize, 4, 4, 64, 0f, true, Gelu.TANH, false);
        }

        /** Width of one attention head, n_embd / n_head. */
        public int headSize() {
            return nEmbd / nHead;
        }
    }

    /** The target id {@link #loss} skips. */
    public static final int IGNORED_TARGET = -1;

    /** Multi-head causal self-attention with one fused q/k/v projection. */
    static final class CausalSelfAttention extends Module {
        final Linear cAttn;
        final Linear cProj;
        final Dropout attnDropout;
        final Dropout residDropout;
        final int nHead;
        final int nEmbd;
        final float dropout;

        CausalSelfAttention(Config c, Rng rng) {
            cAttn = register("c_attn", new Linear(c.nEmbd(), 3 * c.nEmbd(), c.bias(), rng));
            cProj = register("c_proj", new Linear(c.nEmbd(), c.nEmbd(), c.bias(), rng));
            attnDropout = register("attn_dropout", new Dropout(c.dropout(), rng));
            residDropout = register("resid_dropout", new Dropout(c.dropout(), rng));
            nHead = c.nHead();
            nEmbd = c.nEmbd();
            dropout = c.dropout();
        }

        /** x {@code [B, T, C]}; with a cache, x holds the positions after those already cached. */
        Var forward(Var x, KvCache.Layer cache) {
            int[] s = x.shape();
            int b = s[0];
            int t = s[1];
            int hs = nEmbd / nHead;
            Var qkv = cAttn.forward(x);
            // [B, T, 3C] → three [B, H, T, hs] views
            Var q = qkv.slice(2, 0, nEmbd).reshape(b, t, nHead, hs).transpose(1, 2);
            Var k = qkv.slice(2, nEmbd, 2 * nEmbd).reshape(b, t, nHead, hs).transpose(1, 2);
            Var v = qkv.slice(2, 2 * nEmbd, 3 * nEmbd).reshape(b, t, nHead, hs).transpose(1, 2);
            if (cache != null) {
                k = Var.constant(cache.appendKeys(k.value()));
                v = Var.constant(cache.appendValues(v.value()));
            }
            // Dropout on the attention weights needs them materialised; otherwise the fused kernel never builds them.
            Var y = dropout > 0f && isTraining()
                    ? Attention.causalComposed(q, k, v, attnDropout::forward)
                    : Attention.causal(q, k, v);
            Var merged = y.transpose(1, 2).reshape(b, t, nEmbd);
            return residDropout.forward(cProj.forward(merged));
        }
    }

    /** The position-wise feed-forward network: 4× wider, GELU. */
    static final class Mlp extends Module {
        final Linear cFc;
        final Linear cProj;
        final Dropout dropout;

        final Gelu gelu;

        Mlp(Config c, Rng rng) {
            cFc = register("c_fc", new Linear(c.nEmbd(), 4 * c.nEmbd(), c.bias(), rng));
            cProj = register("c_proj", new Linear(4 * c.nEmbd(), c.nEmbd(), c.bias(), rng));
            dropout = register("dropout", new Dropout(c.dropout(), rng));
            gelu = c.gelu();
        }

        Var forward(Var x) {
            Var h = cFc.forward(x);
            return dropout.forward(cProj.forward(gelu == Gelu.ERF ? h.gelu() : h.geluTanh()));
        }
    }

    /** x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
    static final class Block extends Module {
        final LayerNorm ln1;
        final CausalSelfAttention attn;
        final LayerNorm ln2;
        final Mlp mlp;

        Block(Config c, Rng rng) {
            ln1 = register("ln_1", new LayerNorm(c.nEmbd(), c.bias()));
            attn = register("attn", new CausalSelfAttention(c, rng));
            ln2 = register("ln_2", new LayerNorm(c.nEmbd(), c.bias()));
            mlp = register("mlp", new Mlp(c, rng));
        }

        Var forward(Var x, KvCache.Layer cache) {
            Var h = x.add(attn.forward(ln1.forward(x), cache));
            return h.add(mlp.forward(ln2.forward(h)));
        }
    }

    /** The {@code transformer.*} part of the state dict. */
    static final class Transformer extends Module {
        final Embedding wte;
        final Embedding wpe;
        final Dropout drop;
        final ModuleList<Block> h;
        final LayerNorm lnF;

        Transformer(Config c, Rng rng) {
            wte = register("wte", new Embedding(c.vocabSize(), c.nEmbd(), rng));
            wpe = register("wpe", new Embedding(c.blockSize(), c.nEmbd(), rng));
            drop = register("drop", new Dropout(c.dropout(), rng));
            h = register("h", new ModuleList<>());
            for (int i = 0; i < c.nLayer(); i++) {
                h.add(new Block(c, rng));
            }
            lnF = register("ln_f", new LayerNorm(c.nEmbd(), c.bias()));
        }
    }

    /** How the weights start. */
    public enum Initialisation {
        /**
         * nanoGPT's: N(0, 0.02) for every weight matrix and embedding, zero biases, and
         * N(0, 0.02/√(2·n_layer)) for the projections that feed the residual stream.
         */
        NANOGPT,
        /** PyTorch's layer defaults, which makemore.py keeps: uniform ±1/√fan_in for Linear, N(0, 1) for embeddings. */
        PYTORCH_DEFAULTS
    }

    private final Config config;
    private final Transformer transformer;
    private final Linear lmHead;
    private final Rng rng;

    /** A model with nanoGPT's initialisation; {@code rng} also drives dropout (keep it for checkpoints). */
    public Gpt(Config config, Rng rng) {
        this(config, Initialisation.NANOGPT, rng);
    }

    /**
     * A model initialised as {@code init} says, drawing from {@code rng} exactly what the PyTorch model draws
     * from its generator (so {@code Rng.pytorch(1337)} gives nanoGPT's initial weights for {@code
     * torch.manual_seed(1337)}); {@code rng} then drives dropout (keep it for checkpoints).
     */
    public Gpt(Config config, Initialisation init, Rng rng) {
        this.config = config;
        this.rng = rng;
        this.transformer = register("transformer", new Transformer(config, rng));
        this.lmHead = config.tiedHead() ? null
                : register("lm_head", new Linear(config.nEmbd(), config.vocabSize(), false, rng));
        if (init == Initialisation.PYTORCH_DEFAULTS) {
            return;
        }
        if (config.tiedHead()) {
            // nanoGPT builds lm_head (its default init draws a uniform [vocab, C]) before tying it to wte; only
            // the number of values drawn matters here, the tensor is dropped.
            Tensor.uniform(rng, -1f, 1f, config.vocabSize(), config.nEmbd());
        }
        // Then, as nanoGPT's apply(_init_weights): every Linear and Embedding in module order, lm_head last
        // (which, tied, is wte's final value), and a second pass over the residual projections.
        namedParameters().forEach((name, p) -> {
            if (p.value().dim() == 2) {
                Init.normal(p, 0.02, rng);
            } else if (name.endsWith(".bias") && !name.contains("ln_")) {
                Init.constant(p, 0f);
            }
        });
        if (config.tiedHead()) {
            Init.normal(transformer.wte.weight(), 0.02, rng);
        }
        double residualStd = 0.02 / Math.sqrt(2.0 * config.nLayer());
        namedParameters().forEach((name, p) -> {
            if (name.endsWith("c_proj.weight")) {
                Init.normal(p, residualStd, rng);
            }
        });
    }

    /** The architecture. */
    public Config config() {
        return config;
    }

    /**
     * The generator the model was initialised from and dropout draws from: nanoGPT's one generator, which
     * {@link GptTrainer} also draws its batches from (its state belongs in a checkpoint for an exact resume).
     */
    public Rng rng() {
        return rng;
    }

    /** Number of parameters, without the position embeddings (nanoGPT's {@code get_num_params}). */
    public long parameterCountWithoutPositions() {
        return parameterCount() - transformer.wpe.weight().value().numel();
    }

    /** Logits {@code [B, T, vocab]} for token ids {@code [B, T]}. */
    public Var forward(IntTensor idx) {
        return logits(hidden(idx, null));
    }

    /**
     * Mean cross-entropy of the next-token predictions against {@code targets} {@code [B, T]}; targets of
     * {@value #IGNORED_TARGET} (padding after the end of a word) are left out, as in nanoGPT and makemore.
     */
    public Var loss(IntTensor idx, IntTensor targets) {
        Var logits = forward(idx);
        int[] s = logits.shape();
        return logits.reshape(s[0] * s[1], s[2]).crossEntropy(targets.reshape(s[0] * s[1]), IGNORED_TARGET);
    }

    /**
     * The mean loss per predicted token over every row of {@code x} and {@code y} ({@code [N, T]}; targets of
     * {@value #IGNORED_TARGET} are left out), in evaluation mode, a few thousand tokens per forward pass so
     * a whole split never needs one huge activation. The model's mode is restored afterwards.
     *
     * @throws IllegalArgumentException if the shapes differ or every target is ignored
     */
    public double meanLoss(IntTensor x, IntTensor y) {
        if (x.dim() != 2 || !Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("Gpt.meanLoss: x and y must both be [N, T], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(y.shape()));
        }
        int n = x.size(0);
        int t = x.size(1);
        int[] xs = x.data();
        int[] ys = y.data();
        int rowsPerPass = Math.max(1, TOKENS_PER_EVALUATION_PASS / t);
        boolean wasTraining = isTraining();
        eval();
        try {
            double total = 0;
            long predicted = 0;
            for (int first = 0; first < n; first += rowsPerPass) {
                int rows = Math.min(rowsPerPass, n - first);
                int[] yRows = Arrays.copyOfRange(ys, first * t, (first + rows) * t);
                long count = Arrays.stream(yRows).filter(id -> id != IGNORED_TARGET).count();
                if (count == 0) {
                    continue;
                }
                IntTensor xPass = IntTensor.of(Arrays.copyOfRange(xs, first * t, (first + rows) * t), rows, t);
                total += (double) loss(xPass, IntTensor.of(yRows, rows, t)).value().item() * count;
                predicted += count;
            }
            if (predicted == 0) {
                throw new IllegalArgumentException("Gpt.meanLoss: every target is ignored, there is nothing to average");
            }
            return total / predicted;
        } finally {
            train(wasTraining);
        }
    }

    /**
     * Tokens per forward pass of {@link #meanLoss}: 4,096 (PyTorch's reference evaluates 64 windows of 64)
     * keeps the CPU recipe's widest activation, the 4× MLP's [tokens, 512], at 8 MB, so the whole-split
     * evaluation fits the heap the training step needs (with 16,384 the recipe ran out of a 128 MiB heap
     * there, after training fine in it).
     */
    private static final int TOKENS_PER_EVALUATION_PASS = 4_096;

    private Var hidden(IntTensor idx, KvCache cache) {
        int[] s = idx.shape();
        if (s.length != 2) {
            throw new IllegalArgumentException("Gpt: token ids must be [B, T], got " + Arrays.toString(s));
        }
        int start = cache == null ? 0 : cache.length();
        int t = s[1];
        if (start + t > config.blockSize()) {
            throw new IllegalArgumentException("Gpt: sequence of length " + (start + t) + " exceeds block_size "
                    + config.blockSize());
        }
        int[] positions = new int[t];
        for (int i = 0; i < t; i++) {
            positions[i] = start + i;
        }
        Var x = transformer.wte.forward(idx).add(transformer.wpe.forward(IntTensor.of(positions, t)));
        x = transformer.drop.forward(x);
        var blocks = transformer.h.items();
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(x, cache == null ? null : cache.layer(i));
        }
        if (cache != null) {
            cache.advance(t);
        }
        return transformer.lnF.forward(x);
    }

    private Var logits(Var hidden) {
        return lmHead != null ? lmHead.forward(hidden) : MatMul.linear(hidden, transformer.wte.weight(), null);
    }

    /**
     * Continues {@code prompt} by {@code maxNewTokens} sampled tokens.
     *
     * @param temperature divides the logits (must be > 0)
     * @param topK        keep only the k most likely tokens (0 = all)
     * @param useCache    whether to keep keys and values of past positions (each new token then costs one
     *                    position while the context fits in {@code block_size}); the tokens are the same
     *                    either way
     */
    public int[] generate(int[] prompt, int maxNewTokens, float temperature, int topK, Rng rng, boolean useCache) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("generate: the prompt is empty; give at least one token");
        }
        if (!(temperature > 0f) || maxNewTokens < 0 || topK < 0) {
            throw new IllegalArgumentException("generate: need temperature > 0, max_new_tokens >= 0, top_k >= 0; got "
                    + temperature + ", " + maxNewTokens + ", " + topK);
        }
        for (int id : prompt) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("generate: token id " + id + " is outside the vocabulary of "
                        + config.vocabSize());
            }
        }
        int[] out = Arrays.copyOf(prompt, prompt.length + maxNewTokens);
        int length = prompt.length;
        KvCache cache = useCache ? new KvCache(config) : null;
        for (int step = 0; step < maxNewTokens; step++) {
            int windowStart = Math.max(0, length - config.blockSize());
            Var h;
            if (cache != null && cache.length() > 0 && cache.start() == windowStart
                    && cache.length() == length - 1 - windowStart) {
                h = hidden(IntTensor.of(new int[] {out[length - 1]}, 1, 1), cache);
            } else {
                // First step, or the window slid: positions shifted, so the cache is rebuilt from the window.
                if (cache != null) {
                    cache.reset(windowStart);
                }
                int[] window = Arrays.copyOfRange(out, windowStart, length);
                h = hidden(IntTensor.of(window, 1, window.length), cache);
            }
            int t = h.shape()[1];
            Tensor last = logits(h.slice(1, t - 1, t)).value().reshape(config.vocabSize());
            out[length++] = Sampling.sample(last, temperature, topK, rng);
        }
        return out;
    }
}
