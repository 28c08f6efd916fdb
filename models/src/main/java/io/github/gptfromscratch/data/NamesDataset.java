package io.github.gptfromscratch.data;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * makemore's names dataset: a file with one word per line, a {@link CharTokenizer#ofWords word vocabulary}
 * whose token 0, {@code '.'}, marks the start and the end of a word, and the ways Karpathy's code splits
 * the words and turns them into next-character examples.
 *
 * <pre>{@code
 * NamesDataset names = NamesDataset.load(Datasets.names());
 * NotebookSplit split = names.notebookSplit();          // 25,626 / 3,203 / 3,204 words
 * Examples train = names.examples(split.train(), 3);    // x [182625, 3], y [182625]
 * Examples dev = names.examples(split.dev(), 3);
 * }</pre>
 */
public final class NamesDataset {

    /** The seed of the notebooks' {@code random.seed(42)} before shuffling the words. */
    public static final long NOTEBOOK_SEED = 42;
    /** makemore.py holds out at most this many words for its test set. */
    public static final int MAKEMORE_MAX_TEST_WORDS = 1000;

    private final String source;
    private final List<String> words;
    private final CharTokenizer tokenizer;

    private NamesDataset(String source, List<String> words) {
        this.source = source;
        this.words = List.copyOf(words);
        this.tokenizer = CharTokenizer.ofWords(this.words);
    }

    /**
     * Reads a UTF-8 file with one word per line. Lines are trimmed and empty lines skipped, as makemore does.
     *
     * @throws IllegalArgumentException naming the file (and line) if it holds fewer than two words or a
     *     word contains {@code '.'}, the start/end token
     * @throws UncheckedIOException naming the file if it cannot be read or is not UTF-8
     */
    public static NamesDataset load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new UncheckedIOException(file + ": not UTF-8 text (" + e + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the names file " + file + " (" + e + ")", e);
        }
        return fromLines(file.toString(), text.lines().toList());
    }

    /**
     * A dataset of the given lines; {@code source} names them in errors (a file name, for example).
     *
     * @throws IllegalArgumentException as {@link #load(Path)}
     */
    public static NamesDataset fromLines(String source, List<String> lines) {
        List<String> words = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte-order mark left by some editors is not part of the first word
            }
            String word = line.strip();
            if (word.isEmpty()) {
                continue;
            }
            if (word.indexOf(CharTokenizer.BOUNDARY) >= 0) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": the word \"" + word + "\" contains '"
                        + CharTokenizer.BOUNDARY + "', which is reserved as the start/end token");
            }
            words.add(word);
        }
        if (words.size() < 2) {
            throw new IllegalArgumentException(source + ": needs at least two words (one per line) to split into "
                    + "train and test sets, but has " + (words.isEmpty() ? "none" : "only \"" + words.get(0) + "\""));
        }
        return new NamesDataset(source, words);
    }

    /** Where the words came from (the file name). */
    public String source() {
        return source;
    }

    /** The words in file order. */
    public List<String> words() {
        return words;
    }

    /** {@code '.'} followed by the sorted distinct characters of all words (27 tokens for names.txt). */
    public CharTokenizer tokenizer() {
        return tokenizer;
    }

    /** The notebooks' split: {@link #notebookSplit(long)} with seed {@value #NOTEBOOK_SEED}. */
    public NotebookSplit notebookSplit() {
        return notebookSplit(NOTEBOOK_SEED);
    }

    /**
     * The 80/10/10 split of the notebooks, identical to Python's {@code random.seed(seed);
     * random.shuffle(words)} followed by cuts at {@code int(0.8 * N)} and {@code int(0.9 * N)}.
     */
    public NotebookSplit notebookSplit(long seed) {
        List<String> shuffled = new ArrayList<>(words);
        new PythonRandom(seed).shuffle(shuffled);
        int n = shuffled.size();
        // double arithmetic truncated toward zero, exactly as Python's int(0.8 * n)
        int n1 = (int) (0.8 * n);
        int n2 = (int) (0.9 * n);
        return new NotebookSplit(shuffled.subList(0, n1), shuffled.subList(n1, n2), shuffled.subList(n2, n));
    }

    /**
     * makemore.py's split: a random permutation of the words drawn from {@code rng}; the last
     * {@code min(1000, int(0.1 * N))} words are the test set (at least one, where makemore.py would leave
     * tiny files with an empty one), the others the training set in permutation order.
     *
     * <p>makemore.py permutes with {@code torch.randperm} after {@code torch.manual_seed(3407)}: with
     * {@code Rng.pytorch(3407)} this is the script's split word for word (31,033 / 1,000 for names.txt).
     */
    public MakemoreScriptSplit makemoreScriptSplit(Rng rng) {
        int n = words.size();
        int[] order = rng.permutation(n);
        int testSize = Math.max(1, Math.min(MAKEMORE_MAX_TEST_WORDS, (int) (0.1 * n)));
        List<String> permuted = new ArrayList<>(n);
        for (int i : order) {
            permuted.add(words.get(i));
        }
        return new MakemoreScriptSplit(permuted.subList(0, n - testSize), permuted.subList(n - testSize, n));
    }

    /** The number of characters of the longest word (15 for names.txt). */
    public int maxWordLength() {
        return words.stream().mapToInt(w -> w.codePointCount(0, w.length())).max().orElse(0);
    }

    /**
     * makemore.py's examples for sequence models: one row per word, {@code x = [., w1 … wn, 0 …]} and
     * {@code y = [w1 … wn, ., -1 …]}, both {@code blockSize} long, so that position {@code t} predicts the
     * character after the first {@code t + 1} tokens and the padding after the final {@code '.'}, target -1,
     * is left out of the loss (as {@code ignore_index=-1}). makemore.py uses
     * {@code blockSize} = {@link #maxWordLength()} + 1 (16 for names.txt).
     *
     * @throws IllegalArgumentException if a word does not fit ({@code length + 1 > blockSize}) or has a
     *     character outside the vocabulary
     */
    public Examples sequences(List<String> words, int blockSize) {
        int n = words.size();
        int[] x = new int[Math.multiplyExact(n, blockSize)];
        int[] y = new int[x.length];
        Arrays.fill(y, -1);
        for (int row = 0; row < n; row++) {
            String word = words.get(row);
            int[] ids = tokenizer.encode(word, source + ": the word \"" + word + "\"");
            if (ids.length + 1 > blockSize) {
                throw new IllegalArgumentException(source + ": the word \"" + word + "\" has " + ids.length
                        + " characters; with its end token it needs a block size of at least " + (ids.length + 1)
                        + ", got " + blockSize);
            }
            int base = row * blockSize;
            System.arraycopy(ids, 0, x, base + 1, ids.length); // x[base] stays '.', the start token (id 0)
            System.arraycopy(ids, 0, y, base, ids.length);
            y[base + ids.length] = CharTokenizer.BOUNDARY_ID;
        }
        return new Examples(IntTensor.of(x, n, blockSize), IntTensor.of(y, n, blockSize));
    }

    /**
     * The next-character examples of the notebooks: for every word, one example per character and one for
     * the final {@code '.'}, each with the {@code blockSize} previous tokens as context, padded on the left
     * with {@code '.'} (id 0). "emma" with block size 3 gives {@code ... → e, ..e → m, .em → m, emm → a,
     * mma → .}.
     *
     * @throws IllegalArgumentException if {@code blockSize < 1} or a word has a character outside the vocabulary
     */
    public Examples examples(List<String> words, int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("NamesDataset.examples: block size must be at least 1, got " + blockSize);
        }
        List<int[]> encoded = new ArrayList<>(words.size());
        long count = 0;
        for (String word : words) {
            int[] ids = tokenizer.encode(word, source + ": the word \"" + word + "\"");
            encoded.add(ids);
            count += ids.length + 1;
        }
        int n = Math.toIntExact(count);
        int[] x = new int[Math.multiplyExact(n, blockSize)];
        int[] y = new int[n];
        int[] context = new int[blockSize];
        int row = 0;
        for (int[] ids : encoded) {
            Arrays.fill(context, CharTokenizer.BOUNDARY_ID);
            for (int i = 0; i <= ids.length; i++) {
                int next = i < ids.length ? ids[i] : CharTokenizer.BOUNDARY_ID;
                System.arraycopy(context, 0, x, row * blockSize, blockSize);
                y[row] = next;
                row++;
                // slide the window: drop the oldest token, append the one just predicted
                System.arraycopy(context, 1, context, 0, blockSize - 1);
                context[blockSize - 1] = next;
            }
        }
        return new Examples(IntTensor.of(x, n, blockSize), IntTensor.of(y, n));
    }
}
