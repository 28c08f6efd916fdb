package io.github.gptfromscratch.tensor.io;

import static io.github.gptfromscratch.tensor.io.TestFiles.file;
import static io.github.gptfromscratch.tensor.io.TestFiles.longs;
import static io.github.gptfromscratch.tensor.io.TestFiles.withPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every class of malformed file is refused with a SafeTensorsException naming the file and the problem. */
class SafeTensorsRejectionTest {

    private static final String SOURCE = "bad.safetensors";

    /** A header entry as JSON: {@code "name":{"dtype":…,"shape":…,"data_offsets":[begin,end]}}. */
    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin
                + "," + end + "]}";
    }

    private static final String VALID_A = entry("a", "F32", "[2]", 0, 8);

    private static Arguments bad(String problemClass, byte[] bytes, String expectedInMessage) {
        return Arguments.of(problemClass, bytes, expectedInMessage);
    }

    private static Arguments badHeader(String problemClass, String header, int dataBytes, String expected) {
        return bad(problemClass, file(header, dataBytes), expected);
    }

    static Stream<Arguments> malformedFiles() {
        byte[] notUtf8 = {'{', '"', 'a', (byte) 0xC3, '(', '"', ':', '1', '}'};
        byte[] overlongSlash = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};
        return Stream.of(
                bad("empty file", new byte[0], "file is 0 bytes, shorter than the 8-byte header length prefix"),
                bad("file shorter than 8 bytes", new byte[5], "file is 5 bytes, shorter than the 8-byte"),
                bad("header length beyond the file", withPrefix(1000, "{}".getBytes(StandardCharsets.UTF_8)),
                        "header length 1000 runs past the end of the file (2 bytes follow"),
                bad("header length above the limit", withPrefix(200_000_000L, new byte[16]),
                        "header length 200000000 exceeds the limit of 100000000 bytes"),
                bad("header length of 2^64-1", withPrefix(-1L, new byte[16]),
                        "header length 18446744073709551615 exceeds the limit"),
                bad("empty header", withPrefix(0, new byte[0]), "header is empty"),
                badHeader("header not an object", "[1,2]", 0, "header does not start with '{'"),
                bad("invalid UTF-8", file(notUtf8, new byte[0]), "header is not valid UTF-8 at byte 3 of the header"),
                bad("overlong UTF-8", file(overlongSlash, new byte[0]), "header is not valid UTF-8 at byte 2"),
                badHeader("trailing garbage", "{} x", 0, "not valid JSON: unexpected character 'x' after the end"),
                badHeader("second JSON value", "{}{}", 0, "not valid JSON: unexpected character '{' after the end"),
                badHeader("unterminated string", "{\"a", 0, "not valid JSON: unterminated string"),
                badHeader("unterminated object", "{\"a\":{}", 0, "not valid JSON: unexpected end of text"),
                badHeader("bad escape", "{\"a\\q\":{}}", 0, "not valid JSON: invalid escape '\\q'"),
                badHeader("truncated unicode escape", "{\"a\\u12\":{}}", 0, "invalid \\u escape"),
                badHeader("lone surrogate escape", "{\"\\ud800\":{}}", 0, "lone high surrogate escape"),
                badHeader("raw control character in a string", "{\"a\tb\":{}}", 0, "control character U+0009"),
                badHeader("leading zero", "{\"a\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", 4,
                        "not valid JSON: unexpected character '1', expected ',' or ']'"),
                badHeader("bare word", "{\"a\":nul}", 0, "not valid JSON: unexpected character 'n', expected a value"),
                badHeader("nesting bomb", "{\"a\":" + "[".repeat(100_000), 0, "nesting deeper than 64 levels"),
                badHeader("duplicate names", "{" + VALID_A + "," + VALID_A + "}", 8, "duplicate key \"a\""),
                badHeader("duplicate field in an entry",
                        "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                        "duplicate key \"dtype\""),
                badHeader("entry not an object", "{\"a\":[1]}", 0, "tensor \"a\": entry is an array, expected an object"),
                badHeader("missing dtype", "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                        "tensor \"a\": missing field \"dtype\""),
                badHeader("missing shape", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8,
                        "tensor \"a\": missing field \"shape\""),
                badHeader("missing data_offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8,
                        "tensor \"a\": missing field \"data_offsets\""),
                badHeader("unknown field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8,
                        "tensor \"a\": unknown field \"x\""),
                badHeader("dtype not a string", "{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                        "tensor \"a\": dtype is a number, expected a string"),
                badHeader("unknown dtype", "{" + entry("a", "F33", "[2]", 0, 8) + "}", 8,
                        "tensor \"a\": unknown dtype \"F33\" (known: BOOL"),
                badHeader("lower-case dtype", "{" + entry("a", "f32", "[2]", 0, 8) + "}", 8, "unknown dtype \"f32\""),
                badHeader("shape not an array", "{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", 8,
                        "tensor \"a\": shape is a string, expected an array"),
                badHeader("negative shape", "{" + entry("a", "F32", "[-3]", 0, 8) + "}", 8,
                        "tensor \"a\": shape[0] is -3, expected a non-negative integer"),
                badHeader("fractional shape", "{" + entry("a", "F32", "[2.0]", 0, 8) + "}", 8,
                        "shape[0] is 2.0, expected a non-negative integer"),
                badHeader("shape with exponent", "{" + entry("a", "F32", "[1,2e0]", 0, 8) + "}", 8,
                        "shape[1] is 2e0, expected a non-negative integer"),
                badHeader("shape entry not a number", "{" + entry("a", "F32", "[null]", 0, 8) + "}", 8,
                        "shape[0] is null, expected a non-negative integer"),
                badHeader("shape entry above int range", "{" + entry("a", "F32", "[3000000000]", 0, 8) + "}", 8,
                        "shape[0] is 3000000000, larger than the 2147483647 an axis may hold"),
                badHeader("shape entry above 64 bits", "{" + entry("a", "F32", "[99999999999999999999]", 0, 8) + "}", 8,
                        "shape[0] is 99999999999999999999, too large for a 64-bit integer"),
                badHeader("shape product overflow",
                        "{" + entry("a", "F32", "[2147483647,2147483647,2147483647]", 0, 8) + "}", 8,
                        "F32 [2147483647,2147483647,2147483647] needs more bytes than a 64-bit count holds"),
                badHeader("data_offsets of one element",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", 8,
                        "tensor \"a\": data_offsets has 1 elements, expected [begin, end]"),
                badHeader("data_offsets not numbers",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",8]}}", 8,
                        "data_offsets[0] is a string, expected a non-negative integer"),
                badHeader("negative offset", "{" + entry("a", "F32", "[2]", -8, 0) + "}", 8,
                        "data_offsets[0] is -8"),
                badHeader("begin after end", "{" + entry("a", "F32", "[2]", 8, 0) + "}", 8,
                        "tensor \"a\": data_offsets [8,0] begin after end"),
                badHeader("byte size not matching the shape", "{" + entry("a", "F32", "[2]", 0, 4) + "}", 4,
                        "tensor \"a\": data_offsets [0,4] span 4 bytes but F32 [2] needs 8"),
                badHeader("offsets out of bounds", "{" + entry("a", "F32", "[2]", 0, 8) + "}", 4,
                        "tensor \"a\": data_offsets [0,8] run past the end of the 4-byte data section"),
                badHeader("overlapping ranges",
                        "{" + VALID_A + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12,
                        "tensor \"b\" with data_offsets [4,12] overlaps tensor \"a\", which ends at 8"),
                badHeader("two tensors on the same bytes",
                        "{" + VALID_A + "," + entry("b", "I32", "[2]", 0, 8) + "}", 8, "overlaps tensor"),
                badHeader("gap between ranges",
                        "{" + VALID_A + "," + entry("b", "F32", "[2]", 12, 20) + "}", 20,
                        "gap in the data section: bytes [8,12) belong to no tensor (the next tensor is \"b\")"),
                badHeader("gap at the start", "{" + entry("a", "F32", "[2]", 4, 12) + "}", 12,
                        "gap in the data section: bytes [0,4)"),
                badHeader("bytes after the last tensor", "{" + VALID_A + "}", 12,
                        "the data section has 12 bytes but the tensors cover only the first 8 (4 trailing bytes)"),
                badHeader("data but no tensors", "{}", 4, "the data section has 4 bytes but the tensors cover only"),
                badHeader("metadata not an object", "{\"__metadata__\":[\"a\"]}", 0,
                        "__metadata__ is an array, expected an object of strings"),
                badHeader("metadata value a number", "{\"__metadata__\":{\"steps\":2}}", 0,
                        "__metadata__ value for key \"steps\" is a number, expected a string"),
                badHeader("metadata value an object", "{\"__metadata__\":{\"cfg\":{\"a\":\"b\"}}}", 0,
                        "__metadata__ value for key \"cfg\" is an object, expected a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void malformedFileIsRefusedWithTheFileAndTheProblem(String problemClass, byte[] bytes, String expected) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.decode(bytes, SOURCE),
                problemClass);
        assertTrue(e.getMessage().startsWith(SOURCE + ": "), "message should name the file: " + e.getMessage());
        assertTrue(e.problem().contains(expected), "expected <" + expected + "> in: " + e.getMessage());
        assertEquals(SOURCE, e.source());
    }

    @Test
    void readNamesThePathOfAShortFile(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("short.safetensors");
        Files.write(path, new byte[] {1, 2, 3});
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(path));
        assertEquals(path + ": file is 3 bytes, shorter than the 8-byte header length prefix", e.getMessage());
    }

    @Test
    void readNamesThePathOfAnInconsistentHeader(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("gap.safetensors");
        Files.write(path, file("{" + VALID_A + "}", 9));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(path));
        assertTrue(e.getMessage().startsWith(path + ": the data section has 9 bytes"), e.getMessage());
    }

    @Test
    void missingNameListsSomeAvailableNames() throws IOException {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < 12; i++) {
            header.append(i == 0 ? "" : ",").append(entry("w" + i, "F32", "[1]", 4L * i, 4L * i + 4));
        }
        SafeTensorFile f = SafeTensors.decode(file(header.append('}').toString(), 48), SOURCE);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> f.floatTensor("w99"));
        assertEquals(SOURCE + ": no tensor named \"w99\"; the file holds \"w0\", \"w1\", \"w2\", \"w3\", \"w4\", \"w5\","
                + " \"w6\", \"w7\", … (12 in all)", e.getMessage());
        assertThrows(SafeTensorsException.class, () -> f.shape("w99"));
        assertThrows(SafeTensorsException.class, () -> f.dtype("w99"));
        assertThrows(SafeTensorsException.class, () -> f.intTensor("w99"));
    }

    @Test
    void floatAccessOfAnIntegerTensorAndIntAccessOfAFloatTensorAreRefused() throws IOException {
        SafeTensorFile f = SafeTensors.decode(file("{" + entry("ids", "I64", "[1]", 0, 8) + ","
                + entry("w", "F32", "[2]", 8, 16) + "}", 16), SOURCE);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> f.floatTensor("ids"));
        assertEquals(SOURCE + ": tensor \"ids\" is I64, not a floating dtype; read it with intTensor", e.getMessage());
        e = assertThrows(SafeTensorsException.class, () -> f.intTensor("w"));
        assertEquals(SOURCE + ": tensor \"w\" is F32, not an integer dtype; read it with floatTensor", e.getMessage());
    }

    @Test
    void int64OutsideTheIntRangeIsRefusedNamingTheTensorAndTheValue() throws IOException {
        byte[] bytes = file(("{" + entry("input.X", "I64", "[3]", 0, 24) + "}").getBytes(StandardCharsets.UTF_8),
                longs(7, -2, 1L << 32));
        SafeTensorFile f = SafeTensors.decode(bytes, SOURCE);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> f.intTensor("input.X"));
        assertEquals(SOURCE + ": tensor \"input.X\" (I64 [3]) holds 4294967296 at flat index 2, which does not fit an"
                + " int", e.getMessage());
        assertThrows(SafeTensorsException.class, f::intTensors);
    }

    @Test
    void unsigned64AboveTwoToThe63IsRefusedWithItsUnsignedValue() throws IOException {
        byte[] bytes = file(("{" + entry("u", "U64", "[1]", 0, 8) + "}").getBytes(StandardCharsets.UTF_8),
                longs(-1L));
        SafeTensorFile f = SafeTensors.decode(bytes, SOURCE);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> f.intTensor("u"));
        assertTrue(e.getMessage().contains("holds 18446744073709551615 at flat index 0"), e.getMessage());
    }

    @Test
    void boolByteOtherThanZeroOrOneIsRefused() throws IOException {
        byte[] bytes = file(("{" + entry("mask", "BOOL", "[3]", 0, 3) + "}").getBytes(StandardCharsets.UTF_8),
                new byte[] {1, 0, 2});
        SafeTensorFile f = SafeTensors.decode(bytes, SOURCE);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> f.intTensor("mask"));
        assertEquals(SOURCE + ": tensor \"mask\" (BOOL [3]) holds 2 at flat index 2, which is not a bool (0 or 1)",
                e.getMessage());
    }
}
