package io.github.gptfromscratch.tensor.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small, strict JSON (RFC 8259) reader and writer that safetensors headers need.
 *
 * <p>Strict means: exactly one value surrounded only by JSON whitespace, no duplicate keys in an
 * object, no control characters or lone surrogates in strings, and at most {@link #MAX_DEPTH} levels of
 * nesting, so that a hostile header can neither blow the stack nor hide a second definition of a
 * tensor behind the first. Numbers keep their text: the caller decides which forms it accepts, and a
 * huge exponent never becomes a huge allocation.
 */
final class Json {

    /** A safetensors header needs three levels; anything far deeper is an attack or a mistake. */
    static final int MAX_DEPTH = 64;

    private Json() {
    }

    /** A parsed JSON value. */
    sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {
        /** The JSON type name used in error messages. */
        String typeName();
    }

    /** An object whose members keep their order in the text. */
    record Obj(Map<String, Value> members) implements Value {
        public String typeName() {
            return "an object";
        }
    }

    /** An array. */
    record Arr(List<Value> elements) implements Value {
        public String typeName() {
            return "an array";
        }
    }

    /** A string, with escapes resolved. */
    record Str(String value) implements Value {
        public String typeName() {
            return "a string";
        }
    }

    /** A number exactly as written in the text (already checked against the JSON number grammar). */
    record Num(String text) implements Value {
        public String typeName() {
            return "a number";
        }

        /** True when the text is a plain integer: no fraction and no exponent. */
        boolean isInteger() {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements Value {
        public String typeName() {
            return "a boolean";
        }
    }

    /** {@code null}. */
    record Null() implements Value {
        public String typeName() {
            return "null";
        }
    }

    /** Malformed JSON; the message says what and where (a character index into the text). */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message, int position) {
            super(message + " at character " + position);
        }
    }

    // ------------------------------------------------------------------ reading

    /** Parses {@code text} as exactly one JSON value. */
    static Value parse(String text) throws SyntaxException {
        Parser parser = new Parser(text);
        parser.skipWhitespace();
        Value value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw new SyntaxException("unexpected " + parser.describeCurrent() + " after the end of the JSON value",
                    parser.pos);
        }
        return value;
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Value value(int depth) throws SyntaxException {
            if (pos >= text.length()) {
                throw new SyntaxException("unexpected end of text, expected a value", pos);
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return new Str(string());
                case 't':
                    literal("true");
                    return new Bool(true);
                case 'f':
                    literal("false");
                    return new Bool(false);
                case 'n':
                    literal("null");
                    return new Null();
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw new SyntaxException("unexpected " + describeCurrent() + ", expected a value", pos);
            }
        }

        private void checkDepth(int depth) throws SyntaxException {
            if (depth > MAX_DEPTH) {
                throw new SyntaxException("nesting deeper than " + MAX_DEPTH + " levels", pos);
            }
        }

        private Obj object(int depth) throws SyntaxException {
            checkDepth(depth);
            int start = pos;
            pos++; // '{'
            Map<String, Value> members = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return new Obj(Collections.unmodifiableMap(members));
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw new SyntaxException("unexpected " + describeCurrent() + ", expected a member name in the object"
                            + " opened at character " + start, pos);
                }
                int keyPosition = pos;
                String key = string();
                skipWhitespace();
                expect(':', "after member name " + quote(key));
                skipWhitespace();
                Value value = value(depth);
                if (members.putIfAbsent(key, value) != null) {
                    throw new SyntaxException("duplicate key " + quote(key), keyPosition);
                }
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == '}') {
                    pos++;
                    return new Obj(Collections.unmodifiableMap(members));
                } else {
                    throw new SyntaxException("unexpected " + describeCurrent() + ", expected ',' or '}' in the object"
                            + " opened at character " + start, pos);
                }
            }
        }

        private Arr array(int depth) throws SyntaxException {
            checkDepth(depth);
            int start = pos;
            pos++; // '['
            List<Value> elements = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return new Arr(Collections.unmodifiableList(elements));
            }
            while (true) {
                skipWhitespace();
                elements.add(value(depth));
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == ']') {
                    pos++;
                    return new Arr(Collections.unmodifiableList(elements));
                } else {
                    throw new SyntaxException("unexpected " + describeCurrent() + ", expected ',' or ']' in the array"
                            + " opened at character " + start, pos);
                }
            }
        }

        private String string() throws SyntaxException {
            int start = pos;
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw new SyntaxException("unterminated string", start);
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return out.toString();
                }
                if (c < 0x20) {
                    throw new SyntaxException(String.format("control character U+%04X inside a string", (int) c), pos);
                }
                if (c == '\\') {
                    escape(out);
                } else {
                    // The text came from checked UTF-8, so its own surrogates are always paired.
                    out.append(c);
                    pos++;
                }
            }
        }

        private void escape(StringBuilder out) throws SyntaxException {
            int start = pos;
            pos++; // backslash
            if (pos >= text.length()) {
                throw new SyntaxException("unterminated string", start);
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    char unit = hex4(start);
                    if (Character.isHighSurrogate(unit)) {
                        if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                            int lowStart = pos;
                            pos += 2;
                            char low = hex4(lowStart);
                            if (!Character.isLowSurrogate(low)) {
                                throw new SyntaxException("high surrogate escape not followed by a low surrogate", start);
                            }
                            out.append(unit).append(low);
                        } else {
                            throw new SyntaxException("lone high surrogate escape", start);
                        }
                    } else if (Character.isLowSurrogate(unit)) {
                        throw new SyntaxException("lone low surrogate escape", start);
                    } else {
                        out.append(unit);
                    }
                }
                default -> throw new SyntaxException("invalid escape '\\" + printable(e) + "'", start);
            }
        }

        private char hex4(int escapeStart) throws SyntaxException {
            if (pos + 4 > text.length()) {
                throw new SyntaxException("truncated \\u escape", escapeStart);
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = hexDigit(text.charAt(pos + i));
                if (d < 0) {
                    throw new SyntaxException("invalid \\u escape, expected four hex digits", escapeStart);
                }
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        /** The value of an ASCII hex digit, or -1 (unlike Character.digit, which also takes non-ASCII digits). */
        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        private Num number() throws SyntaxException {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (isDigit(peek())) {
                digits();
            } else {
                throw new SyntaxException("invalid number, expected a digit", pos);
            }
            if (peek() == '.') {
                pos++;
                if (!isDigit(peek())) {
                    throw new SyntaxException("invalid number, expected a digit after '.'", pos);
                }
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw new SyntaxException("invalid number, expected a digit in the exponent", pos);
                }
                digits();
            }
            return new Num(text.substring(start, pos));
        }

        private void digits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private void literal(String word) throws SyntaxException {
            if (!text.startsWith(word, pos)) {
                throw new SyntaxException("unexpected " + describeCurrent() + ", expected a value", pos);
            }
            pos += word.length();
        }

        private void expect(char c, String where) throws SyntaxException {
            if (peek() != c) {
                throw new SyntaxException("expected '" + c + "' " + where + " but found " + describeCurrent(), pos);
            }
            pos++;
        }

        /** The current character, or -1 at the end of the text. */
        private int peek() {
            return pos < text.length() ? text.charAt(pos) : -1;
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        String describeCurrent() {
            return pos >= text.length() ? "end of text" : "character '" + printable(text.charAt(pos)) + "'";
        }

        private static String printable(char c) {
            return c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c)
                    : String.valueOf(c);
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Appends {@code s} as a JSON string literal. Only {@code "}, {@code \}, control characters and
     * unpaired surrogates (which only error messages meet: the writer refuses them) are escaped.
     */
    static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
                continue;
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** {@code s} as a JSON string literal, for error messages. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        appendString(out, s);
        return out.toString();
    }

    /** The index of the first unpaired surrogate in {@code s}, or -1 when {@code s} is valid Unicode. */
    static int firstLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
