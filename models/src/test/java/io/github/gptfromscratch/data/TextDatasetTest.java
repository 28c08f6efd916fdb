package io.github.gptfromscratch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.data.TextDataset.Split;
import io.github.gptfromscratch.tensor.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDatasetTest {

    private static TextDataset shakespeare;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadShakespeare() {
        shakespeare = TextDataset.load(SharedData.file("tinyshakespeare.txt"));
    }

    @Test
    void tinyShakespeareSplitsAsNanoGpt() {
        assertEquals(65, shakespeare.tokenizer().vocabSize());
        assertEquals(1003854, shakespeare.length(Split.TRAIN));
        assertEquals(111540, shakespeare.length(Split.VAL));
        int[] train = shakespeare.tokens(Split.TRAIN).data();
        assertEquals("First Citizen:", shakespeare.tokenizer().decode(Arrays.copyOf(train, 14)));
        assertEquals(111540, shakespeare.tokens(Split.VAL).numel());
    }

    @Test
    void batchesAreRandomWindowsWithTargetsOneTokenAhead() {
        long seed = 1337;
        int batchSize = 4;
        int blockSize = 8;
        for (Split split : Split.values()) {
            Batch batch = shakespeare.batch(new Rng(seed), batchSize, blockSize, split);
            assertArrayEquals(new int[] {batchSize, blockSize}, batch.x().shape());
            assertArrayEquals(new int[] {batchSize, blockSize}, batch.y().shape());
            int[] tokens = shakespeare.tokens(split).data();
            Rng expected = new Rng(seed);
            for (int b = 0; b < batchSize; b++) {
                int start = expected.nextInt(tokens.length - blockSize);
                for (int t = 0; t < blockSize; t++) {
                    String where = "seed " + seed + ", " + split + " row " + b + ", position " + t;
                    assertEquals(tokens[start + t], batch.x().get(b, t), where);
                    assertEquals(tokens[start + t + 1], batch.y().get(b, t), where);
                }
            }
        }
    }

    @Test
    void everyWindowStartCanBeDrawnAndNoneOverruns() {
        // 20 characters: 18 train, 2 val; block size 1 on val leaves exactly one window
        TextDataset text = TextDataset.fromText("small", "abcdefghijklmnopqrST");
        Batch batch = text.batch(new Rng(3), 16, 1, Split.VAL);
        for (int b = 0; b < 16; b++) {
            assertEquals("S", text.tokenizer().decode(new int[] {batch.x().get(b, 0)}));
            assertEquals("T", text.tokenizer().decode(new int[] {batch.y().get(b, 0)}));
        }
    }

    @Test
    void blockAndBatchSizesAreValidatedWithTheirLimits() {
        Rng rng = new Rng(1);
        var tooLong = assertThrows(IllegalArgumentException.class, () -> shakespeare.batch(rng, 4, 111540, Split.VAL));
        String message = tooLong.getMessage();
        assertTrue(message.startsWith("block size 111540 must be at least 1 and less than the val split length 111540"),
                message);
        assertTrue(message.contains("tinyshakespeare.txt"), message);
        assertTrue(message.contains("at most 111539"), message);
        assertThrows(IllegalArgumentException.class, () -> shakespeare.batch(rng, 4, 0, Split.TRAIN));
        var batch = assertThrows(IllegalArgumentException.class, () -> shakespeare.batch(rng, 0, 8, Split.TRAIN));
        assertEquals("batch size must be at least 1, got 0", batch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shakespeare.checkBlockSize(200000));
        shakespeare.checkBlockSize(256);
    }

    @Test
    void aTooShortFileIsAnErrorNamingTheFile() throws IOException {
        Path file = Files.writeString(temp.resolve("short.txt"), "abcdefghij");
        var e = assertThrows(IllegalArgumentException.class, () -> TextDataset.load(file));
        assertTrue(e.getMessage().startsWith(file + ": has only 10 characters"), e.getMessage());

        Path eleven = Files.writeString(temp.resolve("eleven.txt"), "abcdefghijk");
        TextDataset text = TextDataset.load(eleven);
        text.checkBlockSize(1);
        var tooLong = assertThrows(IllegalArgumentException.class, () -> text.checkBlockSize(2));
        assertTrue(tooLong.getMessage().contains(eleven.toString()), tooLong.getMessage());
    }

    @Test
    void aGivenVocabularyMustCoverTheText() {
        CharTokenizer lower = CharTokenizer.ofText("abcdefghijklmnopqrstuvwxyz ");
        TextDataset ok = TextDataset.fromText("ok", "the quick brown fox", lower);
        assertEquals(lower, ok.tokenizer());
        var e = assertThrows(IllegalArgumentException.class,
                () -> TextDataset.fromText("upper.txt", "The Quick brown fox", lower));
        assertTrue(e.getMessage().startsWith("upper.txt contains characters not in the vocabulary: 'T', 'Q'"),
                e.getMessage());
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path missing = temp.resolve("nothing.txt");
        var e = assertThrows(UncheckedIOException.class, () -> TextDataset.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
