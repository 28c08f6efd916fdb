package io.github.gptfromscratch.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A character-level tokenizer: every distinct character (Unicode code point) of the training text is one
 * token, and token ids are positions in the vocabulary.
 *
 * <p>Two vocabularies are used in the journey:
 * <ul>
 *   <li>{@link #ofText(CharSequence)}: the sorted distinct characters of a text (nanoGPT's
 *       {@code shakespeare_char}: 65 tokens for tiny shakespeare);</li>
 *   <li>{@link #ofWords(Collection)}: the boundary token {@code '.'} at id 0, marking both the start and
 *       the end of a word, followed by the sorted distinct characters of the words (makemore: 27 tokens,
 *       {@code .} then {@code a}..{@code z}).</li>
 * </ul>
 *
 * <p>{@link #toString()} is the vocabulary itself, the characters in id order, and
 * {@link #fromString(String)} rebuilds the same tokenizer from it: that is how a checkpoint stores it.
 *
 * <pre>{@code
 * CharTokenizer tok = CharTokenizer.ofText("hello world");
 * int[] ids = tok.encode("hold");                 // [3, 5, 4, 1]
 * String back = tok.decode(ids);                  // "hold"
 * CharTokenizer same = CharTokenizer.fromString(tok.toString());
 * }</pre>
 */
public final class CharTokenizer {

    /** The start/end token of word vocabularies, always id {@value #BOUNDARY_ID}. */
    public static final char BOUNDARY = '.';
    /** The id of {@link #BOUNDARY} in a vocabulary built by {@link #ofWords(Collection)}. */
    public static final int BOUNDARY_ID = 0;

    private final String vocabulary;
    private final int[] codePointById;
    // Lookup from code point to id: the code points sorted, and each one's id at the same position.
    private final int[] sortedCodePoints;
    private final int[] idBySortedPosition;

    private CharTokenizer(int[] codePointById) {
        this.codePointById = codePointById;
        this.vocabulary = new String(codePointById, 0, codePointById.length);
        Integer[] order = new Integer[codePointById.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(codePointById[a], codePointById[b]));
        sortedCodePoints = new int[order.length];
        idBySortedPosition = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            if (Character.getType(codePointById[order[i]]) == Character.SURROGATE) {
                // a lone surrogate would merge with a neighbour when the vocabulary string is read back
                throw new IllegalArgumentException("CharTokenizer: the text has an unpaired UTF-16 surrogate "
                        + describe(codePointById[order[i]]) + ", which is not a character");
            }
            sortedCodePoints[i] = codePointById[order[i]];
            idBySortedPosition[i] = order[i];
            if (i > 0 && sortedCodePoints[i] == sortedCodePoints[i - 1]) {
                throw new IllegalArgumentException("CharTokenizer: the vocabulary lists " + describe(sortedCodePoints[i])
                        + " twice: \"" + vocabulary + "\"");
            }
        }
    }

    /**
     * The vocabulary of the sorted distinct characters of {@code text}.
     *
     * @throws IllegalArgumentException if the text is empty
     */
    public static CharTokenizer ofText(CharSequence text) {
        if (text.length() == 0) {
            throw new IllegalArgumentException("CharTokenizer.ofText: the text is empty, so there is no vocabulary");
        }
        return new CharTokenizer(text.codePoints().distinct().sorted().toArray());
    }

    /**
     * The boundary token {@code '.'} (id 0) followed by the sorted distinct characters of the words, as in
     * makemore: {@code chars = sorted(set(''.join(words))); stoi = {s: i + 1}; stoi['.'] = 0}.
     *
     * @throws IllegalArgumentException if there are no words, or a word contains the boundary character
     */
    public static CharTokenizer ofWords(Collection<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("CharTokenizer.ofWords: there are no words, so there is no vocabulary");
        }
        Set<Integer> chars = new TreeSet<>();
        for (String word : words) {
            if (word.indexOf(BOUNDARY) >= 0) {
                throw new IllegalArgumentException("CharTokenizer.ofWords: the word \"" + word + "\" contains '"
                        + BOUNDARY + "', which is reserved as the start/end token");
            }
            word.codePoints().forEach(chars::add);
        }
        int[] ids = new int[chars.size() + 1];
        ids[BOUNDARY_ID] = BOUNDARY;
        int next = 1;
        for (int c : chars) {
            ids[next++] = c;
        }
        return new CharTokenizer(ids);
    }

    /**
     * Rebuilds a tokenizer from its {@link #toString()} form: the characters in id order.
     *
     * @throws IllegalArgumentException if the string is empty or repeats a character
     */
    public static CharTokenizer fromString(String vocabulary) {
        if (vocabulary.isEmpty()) {
            throw new IllegalArgumentException("CharTokenizer.fromString: the vocabulary string is empty");
        }
        return new CharTokenizer(vocabulary.codePoints().toArray());
    }

    /** Number of tokens. */
    public int vocabSize() {
        return codePointById.length;
    }

    /** Whether the character (code point) has a token. */
    public boolean contains(int codePoint) {
        return Arrays.binarySearch(sortedCodePoints, codePoint) >= 0;
    }

    /**
     * The token ids of {@code text}.
     *
     * @throws IllegalArgumentException naming every character that is not in the vocabulary
     */
    public int[] encode(CharSequence text) {
        return encode(text, "text");
    }

    /**
     * The token ids of {@code text}; {@code what} names the text in the error, for example {@code "prompt"}
     * gives {@code prompt contains characters not in the vocabulary: 'é' (U+00E9), '\t'}.
     *
     * @throws IllegalArgumentException naming every character that is not in the vocabulary
     */
    public int[] encode(CharSequence text, String what) {
        int[] ids = new int[Character.codePointCount(text, 0, text.length())];
        Set<Integer> unknown = null;
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int c = Character.codePointAt(text, i);
            i += Character.charCount(c);
            int pos = Arrays.binarySearch(sortedCodePoints, c);
            if (pos >= 0) {
                ids[n++] = idBySortedPosition[pos];
            } else {
                if (unknown == null) {
                    unknown = new LinkedHashSet<>();
                }
                unknown.add(c);
            }
        }
        if (unknown != null) {
            List<String> names = new ArrayList<>();
            unknown.forEach(c -> names.add(describe(c)));
            throw new IllegalArgumentException(what + " contains characters not in the vocabulary: "
                    + String.join(", ", names) + " (the vocabulary has " + vocabSize() + " characters: "
                    + escape(vocabulary) + ")");
        }
        return ids;
    }

    /**
     * The text of the token ids.
     *
     * @throws IllegalArgumentException if an id is outside {@code [0, vocabSize())}
     */
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= codePointById.length) {
                throw new IllegalArgumentException("CharTokenizer.decode: token id " + id + " at position " + i
                        + " is outside the vocabulary of " + codePointById.length + " tokens");
            }
            text.appendCodePoint(codePointById[id]);
        }
        return text.toString();
    }

    /** The vocabulary: every character in id order, the form {@link #fromString(String)} reads back. */
    @Override
    public String toString() {
        return vocabulary;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharTokenizer t && vocabulary.equals(t.vocabulary);
    }

    @Override
    public int hashCode() {
        return vocabulary.hashCode();
    }

    /** A character as a reader can identify it in a message: {@code 'a'}, {@code '\t'}, {@code 'é' (U+00E9)}. */
    static String describe(int c) {
        String code = String.format("U+%04X", c);
        switch (c) {
            case '\t':
                return "'\\t'";
            case '\n':
                return "'\\n'";
            case '\r':
                return "'\\r'";
            case '\'':
                return "'\\''";
            default:
                break;
        }
        if (c >= 0x20 && c < 0x7f) {
            return "'" + (char) c + "'";
        }
        if (Character.isISOControl(c) || !Character.isDefined(c) || Character.isWhitespace(c)
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE) {
            return code; // invisible: only the code point identifies it
        }
        return "'" + new String(Character.toChars(c)) + "' (" + code + ")";
    }

    /** The vocabulary quoted, with invisible characters escaped so a message stays on one readable line. */
    private static String escape(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
