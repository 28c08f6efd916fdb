package io.github.gptfromscratch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CharTokenizerProperties {

    @Provide
    Arbitrary<String> texts() {
        // any UTF-16 text without lone surrogates, plus some characters outside the basic plane
        Arbitrary<String> bmp = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF')
                .ofMinLength(1).ofMaxLength(60);
        Arbitrary<String> astral = Arbitraries.of("\uD83D\uDE00", "\uD835\uDC00", "\uD840\uDC00");
        return Arbitraries.oneOf(bmp, astral).list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join("", parts));
    }

    @Property(tries = 150)
    void decodeInvertsEncode(@ForAll("texts") String text) {
        CharTokenizer tok = CharTokenizer.ofText(text);
        int[] ids = tok.encode(text);
        for (int id : ids) {
            assertTrue(id >= 0 && id < tok.vocabSize(), "id " + id + " outside vocabulary " + tok.vocabSize());
        }
        assertEquals(text, tok.decode(ids));
    }

    @Property(tries = 150)
    void stringFormRoundTrips(@ForAll("texts") String text) {
        CharTokenizer tok = CharTokenizer.ofText(text);
        CharTokenizer rebuilt = CharTokenizer.fromString(tok.toString());
        assertEquals(tok, rebuilt);
        assertEquals(tok.decode(tok.encode(text)), rebuilt.decode(rebuilt.encode(text)));
    }
}
