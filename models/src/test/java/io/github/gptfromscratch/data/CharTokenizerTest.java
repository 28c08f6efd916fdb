package io.github.gptfromscratch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {

    @Test
    void textVocabularyIsTheSortedDistinctCharacters() {
        CharTokenizer tok = CharTokenizer.ofText("hello world");
        assertEquals(" dehlorw", tok.toString());
        assertEquals(8, tok.vocabSize());
        assertArrayEquals(new int[] {3, 5, 4, 1}, tok.encode("hold"));
        assertEquals("hold", tok.decode(new int[] {3, 5, 4, 1}));
    }

    @Test
    void wordVocabularyPutsTheBoundaryTokenFirst() {
        CharTokenizer tok = CharTokenizer.ofWords(List.of("emma", "ava", "zoe"));
        assertEquals(".aemovz", tok.toString());
        assertEquals(CharTokenizer.BOUNDARY_ID, tok.encode(".")[0]);
        assertArrayEquals(new int[] {2, 3, 3, 1}, tok.encode("emma"));
    }

    @Test
    void wordVocabularyRejectsTheBoundaryCharacterInAWord() {
        var e = assertThrows(IllegalArgumentException.class, () -> CharTokenizer.ofWords(List.of("ann", "j.r")));
        assertTrue(e.getMessage().contains("\"j.r\""), e.getMessage());
    }

    @Test
    void tinyShakespeareHas65CharactersInSortedOrder() throws IOException {
        String text = Files.readString(SharedData.file("tinyshakespeare.txt"));
        CharTokenizer tok = CharTokenizer.ofText(text);
        assertEquals(65, tok.vocabSize());
        assertEquals("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", tok.toString());
    }

    @Test
    void encodeNamesEveryUnknownCharacterOnce() {
        CharTokenizer tok = CharTokenizer.ofText("abc");
        var e = assertThrows(IllegalArgumentException.class, () -> tok.encode("a\t\u00e9b\u20ac\t\u00e9\u0001", "prompt"));
        assertTrue(e.getMessage().startsWith(
                "prompt contains characters not in the vocabulary: '\\t', '\u00e9' (U+00E9), '\u20ac' (U+20AC), U+0001"),
                e.getMessage());
        assertTrue(e.getMessage().contains("\"abc\""), "the message shows the vocabulary: " + e.getMessage());
    }

    @Test
    void charactersOutsideTheBasicPlaneAreSingleTokens() {
        CharTokenizer tok = CharTokenizer.ofText("a\uD83D\uDE00b");
        assertEquals(3, tok.vocabSize());
        int[] ids = tok.encode("\uD83D\uDE00a");
        assertArrayEquals(new int[] {2, 0}, ids);
        assertEquals("\uD83D\uDE00a", tok.decode(ids));
        assertEquals(tok, CharTokenizer.fromString(tok.toString()));
    }

    @Test
    void unpairedSurrogatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.ofText("a\uD800b"));
    }

    @Test
    void stringFormRebuildsTheSameTokenizer() {
        CharTokenizer names = CharTokenizer.ofWords(List.of("emma", "olivia"));
        CharTokenizer rebuilt = CharTokenizer.fromString(names.toString());
        assertEquals(names, rebuilt);
        assertEquals(names.hashCode(), rebuilt.hashCode());
        assertArrayEquals(names.encode("olivia"), rebuilt.encode("olivia"));
        assertTrue(rebuilt.contains('.'));
        assertFalse(rebuilt.contains('z'));
    }

    @Test
    void fromStringRejectsRepeatsAndEmptiness() {
        var e = assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fromString("abca"));
        assertTrue(e.getMessage().contains("'a' twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fromString(""));
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.ofText(""));
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.ofWords(List.of()));
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        CharTokenizer tok = CharTokenizer.ofText("abc");
        var e = assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {0, 3}));
        assertTrue(e.getMessage().contains("token id 3 at position 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}));
    }
}
