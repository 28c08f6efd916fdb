package io.github.gptfromscratch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamesDatasetTest {

    private static NamesDataset names;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadNames() {
        names = NamesDataset.load(SharedData.file("names.txt"));
    }

    @Test
    void namesFileHas32033WordsAndA27TokenVocabulary() {
        assertEquals(32033, names.words().size());
        assertEquals(List.of("emma", "olivia", "ava"), names.words().subList(0, 3));
        assertEquals(".abcdefghijklmnopqrstuvwxyz", names.tokenizer().toString());
    }

    @Test
    void notebookSplitMatchesPythonRandomSeed42() {
        NotebookSplit split = names.notebookSplit();
        assertEquals(List.of("yuheng", "diondre", "xavien"), split.train().subList(0, 3));
        assertEquals(25626, split.train().size());
        assertEquals(3203, split.dev().size());
        assertEquals(3204, split.test().size());
    }

    @Test
    void notebookExampleCountsMatchThePublishedOnesForAnyBlockSize() {
        NotebookSplit split = names.notebookSplit();
        for (int blockSize : new int[] {3, 8}) {
            Examples train = names.examples(split.train(), blockSize);
            assertEquals(182625, train.size(), "train, block size " + blockSize);
            assertEquals(22655, names.examples(split.dev(), blockSize).size(), "dev, block size " + blockSize);
            assertEquals(22866, names.examples(split.test(), blockSize).size(), "test, block size " + blockSize);
            assertEquals(blockSize, train.blockSize());
        }
        assertEquals(228146, names.examples(names.words(), 1).size(), "all bigrams including start and end");
    }

    @Test
    void examplesSlideAContextPaddedWithTheBoundaryToken() {
        Examples emma = names.examples(List.of("emma"), 3);
        // ... -> e, ..e -> m, .em -> m, emm -> a, mma -> .
        int e = 5;
        int m = 13;
        int a = 1;
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, e, 0, e, m, e, m, m, m, m, a}, emma.x().data());
        assertArrayEquals(new int[] {e, m, m, a, 0}, emma.y().data());
        assertArrayEquals(new int[] {5, 3}, emma.x().shape());

        Examples first = names.examples(names.notebookSplit().train().subList(0, 1), 3);
        assertEquals("yuheng.", names.tokenizer().decode(first.y().data()));
    }

    @Test
    void sequencesAreMakemoreScriptRowsWithIgnoredPadding() {
        assertEquals(15, names.maxWordLength());
        Examples emma = names.sequences(List.of("emma", "ava"), 6);
        int e = 5;
        int m = 13;
        int a = 1;
        int v = 22;
        assertArrayEquals(new int[] {2, 6}, emma.x().shape());
        assertArrayEquals(new int[] {2, 6}, emma.y().shape());
        // x = [., w, 0-padding]; y = [w, ., -1-padding]
        assertArrayEquals(new int[] {0, e, m, m, a, 0, 0, a, v, a, 0, 0}, emma.x().data());
        assertArrayEquals(new int[] {e, m, m, a, 0, -1, a, v, a, 0, -1, -1}, emma.y().data());

        Examples all = names.sequences(names.words(), names.maxWordLength() + 1);
        assertEquals(32033, all.size());
        long predicted = java.util.Arrays.stream(all.y().data()).filter(id -> id != -1).count();
        assertEquals(228146, predicted, "one prediction per character plus the end token");

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> names.sequences(List.of("emma"), 4));
        assertTrue(tooLong.getMessage().contains("\"emma\"") && tooLong.getMessage().contains("at least 5"),
                tooLong.getMessage());
    }

    @Test
    void makemoreScriptSplitHolds1000TestWordsAndPermutesAllWords() {
        MakemoreScriptSplit split = names.makemoreScriptSplit(new Rng(3407));
        assertEquals(31033, split.train().size());
        assertEquals(1000, split.test().size());
        List<String> all = new ArrayList<>(split.train());
        all.addAll(split.test());
        List<String> expected = new ArrayList<>(names.words());
        all.sort(null);
        expected.sort(null);
        assertEquals(expected, all);
        assertEquals(split, names.makemoreScriptSplit(new Rng(3407)), "same seed, same split");
        assertNotEquals(split.test(), names.makemoreScriptSplit(new Rng(3408)).test());
    }

    @Test
    void withPytorchsGeneratorTheMakemoreScriptSplitIsTheScriptsOwn() {
        // torch.manual_seed(3407); torch.randperm(32033), printed with PyTorch 1.13.
        MakemoreScriptSplit split = names.makemoreScriptSplit(Rng.pytorch(3407));
        assertEquals(List.of("apollo", "jayliani", "cassidy"), split.train().subList(0, 3));
        assertEquals(List.of("kalub", "shaima", "sthefany"), split.test().subList(0, 3));
        assertEquals(List.of("doruk", "jholie", "jvion"), split.test().subList(997, 1000));
    }

    @Test
    void makemoreScriptSplitKeepsOneTestWordForTinyFiles() {
        NamesDataset two = NamesDataset.fromLines("two", List.of("ab", "cd"));
        MakemoreScriptSplit split = two.makemoreScriptSplit(new Rng(1));
        assertEquals(1, split.train().size());
        assertEquals(1, split.test().size());
    }

    @Test
    void linesAreTrimmedAndBlankLinesSkipped() throws IOException {
        Path file = write("\uFEFF  emma \n\n\t\nolivia\r\nava");
        NamesDataset dataset = NamesDataset.load(file);
        assertEquals(List.of("emma", "olivia", "ava"), dataset.words());
        assertEquals(file.toString(), dataset.source());
    }

    @Test
    void emptyFileIsAnErrorNamingTheFile() throws IOException {
        Path file = write("\n  \n");
        var e = assertThrows(IllegalArgumentException.class, () -> NamesDataset.load(file));
        assertTrue(e.getMessage().startsWith(file + ": needs at least two words"), e.getMessage());
    }

    @Test
    void singleWordFileIsAnErrorNamingTheFileAndTheWord() throws IOException {
        Path file = write("\nemma\n");
        var e = assertThrows(IllegalArgumentException.class, () -> NamesDataset.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("only \"emma\""), e.getMessage());
    }

    @Test
    void aWordWithTheBoundaryCharacterIsAnErrorWithItsLine() throws IOException {
        Path file = write("emma\n\nj.r.\nava\n");
        var e = assertThrows(IllegalArgumentException.class, () -> NamesDataset.load(file));
        assertTrue(e.getMessage().startsWith(file + ":3: the word \"j.r.\""), e.getMessage());
    }

    @Test
    void unreadableFilesAreErrorsNamingTheFile() throws IOException {
        Path missing = temp.resolve("missing.txt");
        var e = assertThrows(UncheckedIOException.class, () -> NamesDataset.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path latin1 = Files.write(temp.resolve("latin1.txt"), new byte[] {'a', 'b', '\n', (byte) 0xE9, '\n'});
        var bad = assertThrows(UncheckedIOException.class, () -> NamesDataset.load(latin1));
        assertTrue(bad.getMessage().startsWith(latin1 + ": not UTF-8"), bad.getMessage());
    }

    @Test
    void examplesRejectBadBlockSizesAndUnknownCharacters() {
        assertThrows(IllegalArgumentException.class, () -> names.examples(List.of("emma"), 0));
        var e = assertThrows(IllegalArgumentException.class, () -> names.examples(List.of("Zoe"), 3));
        assertTrue(e.getMessage().contains("the word \"Zoe\" contains characters not in the vocabulary: 'Z'"),
                e.getMessage());
    }

    private Path write(String text) throws IOException {
        return Files.writeString(temp.resolve("words.txt"), text, StandardCharsets.UTF_8);
    }
}
