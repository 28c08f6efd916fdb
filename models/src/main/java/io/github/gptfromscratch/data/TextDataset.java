package io.github.gptfromscratch.data;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A character-level text dataset as nanoGPT's {@code shakespeare_char}: the whole text becomes one stream
 * of tokens, the first 90% for training and the last 10% for validation, and a batch is a set of random
 * windows of {@code blockSize} tokens with the same windows shifted one token ahead as targets.
 *
 * <pre>{@code
 * TextDataset text = TextDataset.load(Datasets.tinyShakespeare()); // vocab 65, 1,003,854 / 111,540 tokens
 * Rng rng = new Rng(1337);
 * Batch batch = text.batch(rng, 64, 256, TextDataset.Split.TRAIN); // x, y [64, 256]
 * }</pre>
 */
public final class TextDataset {

    /** Which part of the token stream to draw from. */
    public enum Split {
        /** The first {@code int(0.9 * N)} tokens. */
        TRAIN,
        /** The remaining tokens. */
        VAL;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String source;
    private final CharTokenizer tokenizer;
    private final int[] tokens;
    private final int trainLength;

    private TextDataset(String source, CharTokenizer tokenizer, int[] tokens, int trainLength) {
        this.source = source;
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.trainLength = trainLength;
    }

    /**
     * Reads a UTF-8 text file whole.
     *
     * @throws IllegalArgumentException naming the file if it is too short for even a block size of 1 in
     *     both splits
     * @throws UncheckedIOException naming the file if it cannot be read or is not UTF-8
     */
    public static TextDataset load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new UncheckedIOException(file + ": not UTF-8 text (" + e + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the text file " + file + " (" + e + ")", e);
        }
        return fromText(file.toString(), text);
    }

    /**
     * A dataset of {@code text}, with the vocabulary of its sorted distinct characters; {@code source}
     * names it in errors.
     *
     * @throws IllegalArgumentException if the text is too short for a block size of 1 in both splits
     */
    public static TextDataset fromText(String source, String text) {
        int trainLength = checkedTrainLength(source, text);
        CharTokenizer tokenizer = CharTokenizer.ofText(text);
        return new TextDataset(source, tokenizer, tokenizer.encode(text, source), trainLength);
    }

    /**
     * A dataset of {@code text} with a given vocabulary, for example the one a checkpoint was trained with.
     *
     * @throws IllegalArgumentException if the text is too short, or has characters outside the vocabulary
     *     (all of them are named)
     */
    public static TextDataset fromText(String source, String text, CharTokenizer tokenizer) {
        int trainLength = checkedTrainLength(source, text);
        return new TextDataset(source, tokenizer, tokenizer.encode(text, source), trainLength);
    }

    private static int checkedTrainLength(String source, String text) {
        int length = text.codePointCount(0, text.length());
        // the same double arithmetic as nanoGPT's n = int(0.9 * len(data))
        int trainLength = (int) (0.9 * length);
        if (trainLength < 2 || length - trainLength < 2) {
            throw new IllegalArgumentException(source + ": has only " + length + " characters (" + trainLength
                    + " train, " + (length - trainLength) + " val after the 90/10 split); each part needs at least"
                    + " block size + 1 characters, so use a longer text (at least 11 characters for block size 1)");
        }
        return trainLength;
    }

    /** Where the text came from (the file name). */
    public String source() {
        return source;
    }

    /** The sorted distinct characters of the text (65 for tiny shakespeare). */
    public CharTokenizer tokenizer() {
        return tokenizer;
    }

    /** Number of tokens in a split. */
    public int length(Split split) {
        return split == Split.TRAIN ? trainLength : tokens.length - trainLength;
    }

    /** A copy of a split's tokens, {@code [length]}. */
    public IntTensor tokens(Split split) {
        int start = start(split);
        return IntTensor.of(Arrays.copyOfRange(tokens, start, start + length(split)), length(split));
    }

    private int start(Split split) {
        return split == Split.TRAIN ? 0 : trainLength;
    }

    /**
     * Checks up front that {@code blockSize} fits both splits, so a run fails before training rather than
     * at its first evaluation.
     *
     * @throws IllegalArgumentException naming the value, the limit and the file
     */
    public void checkBlockSize(int blockSize) {
        for (Split split : Split.values()) {
            checkBlockSize(blockSize, split);
        }
    }

    private void checkBlockSize(int blockSize, Split split) {
        int length = length(split);
        if (blockSize < 1 || blockSize >= length) {
            throw new IllegalArgumentException("block size " + blockSize + " must be at least 1 and less than the "
                    + split.label() + " split length " + length + " of " + source + " (" + tokens.length
                    + " characters: " + length(Split.TRAIN) + " train, " + length(Split.VAL) + " val); use a block"
                    + " size of at most " + (length - 1) + " or a longer text");
        }
    }

    /**
     * A batch as nanoGPT's {@code get_batch}: {@code batchSize} window starts drawn in order with
     * {@code rng.nextInt(length - blockSize)}; {@code x[b]} is the window, {@code y[b]} the same window one
     * token later.
     *
     * @return x and y, both {@code [batchSize, blockSize]}
     * @throws IllegalArgumentException if {@code batchSize < 1}, or {@code blockSize} is below 1 or not
     *     less than the split's length
     */
    public Batch batch(Rng rng, int batchSize, int blockSize, Split split) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        checkBlockSize(blockSize, split);
        int offset = start(split);
        int windows = length(split) - blockSize;
        int[] x = new int[Math.multiplyExact(batchSize, blockSize)];
        int[] y = new int[x.length];
        for (int b = 0; b < batchSize; b++) {
            int windowStart = offset + rng.nextInt(windows);
            System.arraycopy(tokens, windowStart, x, b * blockSize, blockSize);
            System.arraycopy(tokens, windowStart + 1, y, b * blockSize, blockSize);
        }
        return new Batch(IntTensor.of(x, batchSize, blockSize), IntTensor.of(y, batchSize, blockSize));
    }
}
