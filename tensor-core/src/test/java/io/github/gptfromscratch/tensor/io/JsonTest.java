package io.github.gptfromscratch.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict header JSON parser accepts RFC 8259 and nothing else. */
class JsonTest {

    @Test
    void escapesAsPythonWritesThemAreResolved() throws Json.SyntaxException {
        // json.dumps(ensure_ascii=True) escapes everything outside ASCII, astral characters as surrogate pairs.
        Json.Value v = Json.parse("\"caf\\u00e9 \\ud83e\\udd16 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u0041\"");
        assertEquals(new Json.Str("café 🤖 \"q\" \\ / \b\f\n\r\t A"), v);
    }

    @Test
    void numbersKeepTheirText() throws Json.SyntaxException {
        Json.Value v = Json.parse("[0, -0, 12, 1.5e-3, 2E+10, -7.25]");
        assertEquals(new Json.Arr(List.of(new Json.Num("0"), new Json.Num("-0"), new Json.Num("12"),
                new Json.Num("1.5e-3"), new Json.Num("2E+10"), new Json.Num("-7.25"))), v);
        assertTrue(new Json.Num("12").isInteger());
        assertTrue(!new Json.Num("1.5e-3").isInteger() && !new Json.Num("2E+10").isInteger());
    }

    @Test
    void objectsKeepTheirOrderAndLiteralsParse() throws Json.SyntaxException {
        Json.Value v = Json.parse(" {\"b\" : true ,\n\"a\":false,\t\"c\":null,\"d\":{}} \r\n");
        Json.Obj obj = (Json.Obj) v;
        assertEquals(List.of("b", "a", "c", "d"), List.copyOf(obj.members().keySet()));
        assertEquals(new Json.Bool(true), obj.members().get("b"));
        assertEquals(new Json.Null(), obj.members().get("c"));
        assertEquals(new Json.Obj(Map.of()), obj.members().get("d"));
    }

    @Test
    void nestingUpToTheLimitIsAcceptedAndBeyondItRefused() throws Json.SyntaxException {
        int limit = Json.MAX_DEPTH;
        Json.parse("[".repeat(limit) + "]".repeat(limit));
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class,
                () -> Json.parse("[".repeat(limit + 1) + "]".repeat(limit + 1)));
        assertEquals("nesting deeper than 64 levels at character 64", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "'a'", "01",
        "1.", ".5", "1e", "-", "+1", "0x10", "NaN", "Infinity", "tru", "nulls", "\"\\x41\"", "\"\\u00g0\"",
        "\"\\udc00\"", "\"\\ud800\\u0041\"", "[1] [2]", "\"a\u0000\"", "{\"a\":1,\"a\":2}", "\u00a0{}"})
    void malformedJsonIsRefused(String text) {
        assertThrows(Json.SyntaxException.class, () -> Json.parse(text), text);
    }

    @Test
    void writerEscapesWhatJsonRequires() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\u00e9🤖\"", Json.quote("a\"b\\c\n\u0001é🤖"));
        assertEquals(-1, Json.firstLoneSurrogate("🤖ok"));
        assertEquals(2, Json.firstLoneSurrogate("ok\ud800"));
        assertEquals(0, Json.firstLoneSurrogate("\udc00🤖"));
    }
}
