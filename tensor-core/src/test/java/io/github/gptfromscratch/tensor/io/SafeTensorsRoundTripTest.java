package io.github.gptfromscratch.tensor.io;

import static io.github.gptfromscratch.tensor.io.TestFiles.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is written is read back bit for bit; hand-made files of other dtypes convert as documented. */
class SafeTensorsRoundTripTest {

    private static final long SEED = 20240611L;

    private static SafeTensorFile roundTrip(Map<String, Tensor> floats, Map<String, IntTensor> ints,
            Map<String, String> metadata) throws IOException {
        return SafeTensors.decode(SafeTensors.encode(floats, ints, metadata), "round-trip");
    }

    private static void assertSameTensor(String name, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), name + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertEquals(e.length, a.length, name + ": numel");
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]),
                    name + "[" + i + "]: expected " + e[i] + " but read " + a[i]);
        }
    }

    @Test
    void filesLargerThanOneReadChunkRoundTripThroughTheDisk(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        // read() fills its buffer in 1 MiB chunks: a file of several chunks (and a ragged last one) must come back whole.
        Rng rng = new Rng(SEED);
        Map<String, Tensor> floats = new LinkedHashMap<>();
        floats.put("a", Tensor.randn(rng, 700, 1000));
        floats.put("b", Tensor.randn(rng, 123_457));
        java.nio.file.Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, floats, Map.of(), Map.of("k", "v"));
        assertTrue(java.nio.file.Files.size(file) > 3 * (1 << 20));
        SafeTensorFile f = SafeTensors.read(file);
        for (var e : floats.entrySet()) {
            assertSameTensor(e.getKey() + " (seed " + SEED + ")", e.getValue(), f.floatTensor(e.getKey()));
        }
    }

    @Test
    void float32TensorsOfManyShapesRoundTripBitForBit() throws IOException {
        Rng rng = new Rng(SEED);
        List<int[]> shapes = List.of(new int[0], new int[] {0}, new int[] {1}, new int[] {7}, new int[] {2, 3},
                new int[] {2, 0, 3}, new int[] {1, 1, 1, 5}, new int[] {3, 4, 5});
        Map<String, Tensor> floats = new LinkedHashMap<>();
        for (int[] shape : shapes) {
            floats.put("t" + SafeTensorFile.shapeString(shape),
                    shape.length == 0 ? Tensor.scalar((float) rng.nextGaussian()) : Tensor.randn(rng, shape));
        }
        floats.put("special", Tensor.of(new float[] {Float.NaN, -0f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, Float.intBitsToFloat(0x7fc12345)}));

        SafeTensorFile f = roundTrip(floats, Map.of(), Map.of());
        assertEquals(List.copyOf(floats.keySet()), List.copyOf(f.names()), "names keep insertion order");
        for (var e : floats.entrySet()) {
            assertSameTensor(e.getKey() + " (seed " + SEED + ")", e.getValue(), f.floatTensor(e.getKey()));
            assertEquals("F32", f.dtype(e.getKey()));
            assertArrayEquals(e.getValue().shape(), f.shape(e.getKey()));
        }
        assertEquals(0, f.floatTensor("t[]").dim(), "0-d stays 0-d");
        assertEquals(0, f.floatTensor("t[2,0,3]").numel());
        assertTrue(f.metadata().isEmpty());
    }

    @Test
    void viewsAreWrittenAsTheirRowMajorValues() throws IOException {
        Rng rng = new Rng(SEED);
        Tensor base = Tensor.randn(rng, 4, 6);
        Map<String, Tensor> views = new LinkedHashMap<>();
        views.put("transposed", base.transpose(0, 1));
        views.put("sliced", base.slice(1, 2, 5));
        views.put("selected", base.select(0, 3));
        views.put("expanded", Tensor.randn(rng, 1, 6).expand(3, 6));
        views.put("permuted", Tensor.randn(rng, 2, 3, 4).permute(2, 0, 1));
        views.put("offset-contiguous", base.select(0, 2));
        SafeTensorFile f = roundTrip(views, Map.of(), Map.of());
        for (var e : views.entrySet()) {
            Tensor read = f.floatTensor(e.getKey());
            assertTrue(read.isContiguous(), e.getKey());
            assertSameTensor(e.getKey() + " (seed " + SEED + ")", e.getValue(), read);
        }
    }

    @Test
    void intTensorsAreStoredAsInt64AndReadBack() throws IOException {
        Map<String, IntTensor> ints = new LinkedHashMap<>();
        ints.put("input.X", IntTensor.of(new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 26}, 2, 3));
        ints.put("scalar", IntTensor.of(new int[] {42}));
        ints.put("empty", IntTensor.zeros(0, 4));
        byte[] bytes = SafeTensors.encode(Map.of(), ints, Map.of());
        SafeTensorFile f = SafeTensors.decode(bytes, "ints");
        for (var e : ints.entrySet()) {
            assertEquals("I64", f.dtype(e.getKey()));
            assertEquals(e.getValue(), f.intTensor(e.getKey()), e.getKey());
        }
        assertEquals(0, f.intTensor("scalar").dim());
        assertEquals(ints, f.intTensors());
        assertTrue(f.floatTensors().isEmpty());

        // The first value's bytes: the I64 little-endian sign extension PyTorch would read.
        int dataStart = 8 + (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-1L, data.getLong(16));
        assertEquals(Integer.MIN_VALUE, data.getLong(24));
    }

    @Test
    void metadataAndNamesWithUnicodeAndEscapesRoundTrip() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("config", "{\"n_embd\": 32, \"bias\": true}");
        metadata.put("quotes \" and \\ backslash", "line\nbreak\ttab\r\u0001\u001f\b\f/");
        metadata.put("unicode ✓ 名前", "emoji 🤖 and é (NFC) and e\u0301 (NFD)");
        metadata.put("", "");
        Map<String, Tensor> floats = new LinkedHashMap<>();
        floats.put("transformer.h.0.attn.c_attn.weight", Tensor.ones(2, 2));
        floats.put("名前/\"quoted\"\\🤖", Tensor.scalar(3f));
        Map<String, IntTensor> ints = Map.of("_single_underscore", IntTensor.of(new int[] {5}));
        SafeTensorFile f = roundTrip(floats, ints, metadata);
        assertEquals(metadata, f.metadata());
        assertEquals(List.copyOf(metadata.keySet()), List.copyOf(f.metadata().keySet()), "metadata order");
        assertEquals(3f, f.floatTensor("名前/\"quoted\"\\🤖").item());
        assertEquals(IntTensor.of(new int[] {5}), f.intTensor("_single_underscore"));
        assertEquals(List.of("transformer.h.0.attn.c_attn.weight", "名前/\"quoted\"\\🤖", "_single_underscore"),
                List.copyOf(f.names()), "float tensors first, then int tensors");
    }

    @Test
    void headerIsPaddedWithSpacesSoTheDataIsEightByteAligned() throws IOException {
        byte[] bytes = SafeTensors.encode(Map.of("abc", Tensor.ones(3)), Map.of(), Map.of("k", "v"));
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header length " + headerLength);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},\"abc\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}",
                header.stripTrailing());
        assertEquals(8 + headerLength + 12, bytes.length);
    }

    @Test
    void emptyFileRoundTrips() throws IOException {
        SafeTensorFile f = roundTrip(Map.of(), Map.of(), Map.of());
        assertTrue(f.names().isEmpty());
        assertTrue(f.metadata().isEmpty());
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> f.floatTensor("x"));
        assertTrue(e.getMessage().endsWith("the file holds no tensors"), e.getMessage());
    }

    @Test
    void writeAndReadThroughTheFileSystem(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("weights.safetensors");
        Tensor w = Tensor.randn(new Rng(SEED), 30, 200);
        SafeTensors.write(path, Map.of("W1", w), Map.of("input.Y", IntTensor.of(new int[] {1, 2, 3})),
                Map.of("model", "mlp"));
        SafeTensorFile f = SafeTensors.read(path);
        assertEquals(path.toString(), f.source());
        assertSameTensor("W1 (seed " + SEED + ")", w, f.floatTensor("W1"));
        assertEquals(IntTensor.of(new int[] {1, 2, 3}), f.intTensor("input.Y"));
        assertEquals(Map.of("model", "mlp"), f.metadata());
    }

    @Test
    void returnedTensorsAreFreshCopies() throws IOException {
        SafeTensorFile f = roundTrip(Map.of("w", Tensor.ones(2)), Map.of(), Map.of());
        f.floatTensor("w").set(5f, 0);
        assertEquals(1f, f.floatTensor("w").get(0), "modifying a returned tensor must not change the file");
        int[] shape = f.shape("w");
        shape[0] = 9;
        assertArrayEquals(new int[] {2}, f.shape("w"));
        assertThrows(UnsupportedOperationException.class, () -> f.names().remove("w"));
        assertThrows(UnsupportedOperationException.class, () -> f.metadata().put("a", "b"));
    }

    @Test
    void decodeCopiesItsInput() throws IOException {
        byte[] bytes = SafeTensors.encode(Map.of("w", Tensor.ones(1)), Map.of(), Map.of());
        SafeTensorFile f = SafeTensors.decode(bytes, "copy");
        java.util.Arrays.fill(bytes, (byte) 0);
        assertEquals(1f, f.floatTensor("w").get(0));
    }

    // ------------------------------------------------------------------ files written by others

    @Test
    void acceptsHuggingFaceLayoutsThisWriterDoesNotProduce() throws IOException {
        // Metadata after the tensors, JSON whitespace, header order differing from data order, a zero-size
        // tensor at a boundary, trailing padding; and a null __metadata__, which Hugging Face also reads.
        String header = "{ \"b\" : {\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\n"
                + "\t\"empty\":{\"data_offsets\":[4,4],\"shape\":[0,3],\"dtype\":\"F32\"},\r\n"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"__metadata__\":{\"format\":\"pt\"}}      ";
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        SafeTensorFile f = SafeTensors.decode(file(header.getBytes(StandardCharsets.UTF_8), data.array()), "hf");
        assertEquals(List.of("b", "empty", "a"), List.copyOf(f.names()));
        assertEquals(1.5f, f.floatTensor("a").item());
        assertEquals(0, f.floatTensor("a").dim());
        assertEquals(-2f, f.floatTensor("b").get(0));
        assertArrayEquals(new int[] {0, 3}, f.shape("empty"));
        assertEquals(Map.of("format", "pt"), f.metadata());

        SafeTensorFile nullMetadata = SafeTensors.decode(file("{\"__metadata__\":null}", 0), "null");
        assertTrue(nullMetadata.metadata().isEmpty());
    }

    @Test
    void otherFloatingDtypesConvertToFloat32Exactly() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(0.1).putDouble(-1e300);                                    // F64 [2]: 0..16
        data.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001)
                .putShort((short) 0x7c00).putShort((short) 0x7bff).putShort((short) 0x8000); // F16 [6]: 16..28
        data.putShort((short) 0x3f80).putShort((short) 0xc049);                   // BF16 [2]: 28..32
        data.put((byte) 0x3c).put((byte) 0x7b).put((byte) 0x38).put((byte) 0xfe) // F8_E5M2 [2], F8_E4M3 [2]: 32..36
                .put((byte) 0x7f).put((byte) 0x01).put((byte) 0x7e).put((byte) 0x00); // F8_E4M3 [4] cont.: 36..40
        String header = "{" + String.join(",",
                "\"f64\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}",
                "\"f16\":{\"dtype\":\"F16\",\"shape\":[6],\"data_offsets\":[16,28]}",
                "\"bf16\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[28,32]}",
                "\"e5m2\":{\"dtype\":\"F8_E5M2\",\"shape\":[2],\"data_offsets\":[32,34]}",
                "\"e4m3\":{\"dtype\":\"F8_E4M3\",\"shape\":[6],\"data_offsets\":[34,40]}") + "}";
        byte[] bytes = new byte[40];
        data.flip().get(bytes);
        SafeTensorFile f = SafeTensors.decode(file(header.getBytes(StandardCharsets.UTF_8), bytes), "dtypes");
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, f.floatTensor("f64").toArray());
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY, 65504f, -0f},
                f.floatTensor("f16").toArray());
        assertArrayEquals(new float[] {1f, -3.140625f}, f.floatTensor("bf16").toArray());
        assertArrayEquals(new float[] {1f, 57344f}, f.floatTensor("e5m2").toArray());
        // E4M3: 0x38 = 1, 0xfe = -448 (largest), 0x7f = NaN, 0x01 = 2^-9 (smallest subnormal), 0x7e = 448, 0 = 0
        assertArrayEquals(new float[] {1f, -448f, Float.NaN, 0x1p-9f, 448f, 0f}, f.floatTensor("e4m3").toArray());
        assertEquals(5, f.floatTensors().size(), "every floating dtype is in floatTensors()");
    }

    @Test
    void otherIntegerDtypesConvertToInt() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(-5).putInt(Integer.MAX_VALUE);           // I32 [2]: 0..8
        data.putShort((short) -300).putShort((short) 0xffff); // I16 [1], U16 [1]: 8..12
        data.put((byte) -1).put((byte) 0xff).put((byte) 1).put((byte) 0); // I8, U8, BOOL [2]: 12..16
        data.putInt(0x7fffffff).putLong(123);                // U32 [1]: 16..20, U64 [1]: 20..28
        String header = "{" + String.join(",",
                "\"i32\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}",
                "\"i16\":{\"dtype\":\"I16\",\"shape\":[],\"data_offsets\":[8,10]}",
                "\"u16\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[10,12]}",
                "\"i8\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[12,13]}",
                "\"u8\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[13,14]}",
                "\"bool\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[14,16]}",
                "\"u32\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[16,20]}",
                "\"u64\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[20,28]}") + "}";
        byte[] bytes = new byte[28];
        data.flip().get(bytes);
        SafeTensorFile f = SafeTensors.decode(file(header.getBytes(StandardCharsets.UTF_8), bytes), "ints");
        assertArrayEquals(new int[] {-5, Integer.MAX_VALUE}, f.intTensor("i32").data());
        assertEquals(-300, f.intTensor("i16").get());
        assertEquals(0, f.intTensor("i16").dim());
        assertEquals(65535, f.intTensor("u16").get(0));
        assertEquals(-1, f.intTensor("i8").get(0));
        assertEquals(255, f.intTensor("u8").get(0));
        assertArrayEquals(new int[] {1, 0}, f.intTensor("bool").data());
        assertEquals(Integer.MAX_VALUE, f.intTensor("u32").get(0));
        assertEquals(123, f.intTensor("u64").get(0));
        assertEquals(8, f.intTensors().size());
    }

    // ------------------------------------------------------------------ writer refusals

    @Test
    void writerRefusesBadNamesBeforeWritingAnything() {
        Tensor t = Tensor.ones(1);
        IntTensor i = IntTensor.of(new int[] {1});
        assertRefused("a tensor name is empty", () -> SafeTensors.encode(Map.of("", t), Map.of(), Map.of()));
        assertRefused("tensor name \"__metadata__\" starts with \"__\"",
                () -> SafeTensors.encode(Map.of("__metadata__", t), Map.of(), Map.of()));
        assertRefused("tensor name \"__x\" starts with \"__\"",
                () -> SafeTensors.encode(Map.of(), Map.of("__x", i), Map.of()));
        assertRefused("tensor name \"w\" is both a float and an int tensor",
                () -> SafeTensors.encode(Map.of("w", t), Map.of("w", i), Map.of()));
        assertRefused("tensor name \"bad\\ud800\" is not valid Unicode (unpaired surrogate at index 3)",
                () -> SafeTensors.encode(Map.of("bad\ud800", t), Map.of(), Map.of()));
        assertRefused("metadata value for key \"k\" \"\\udc00\" is not valid Unicode",
                () -> SafeTensors.encode(Map.of(), Map.of(), Map.of("k", "\udc00")));
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("w", null);
        assertRefused("tensor \"w\" is null", () -> SafeTensors.encode(withNull, Map.of(), Map.of()));
    }

    private static void assertRefused(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith("writing safetensors bytes: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected <" + expected + "> in: " + e.getMessage());
        assertFalse(e.getMessage().contains("null:"), e.getMessage());
    }
}
