package io.github.gptfromscratch.tensor.io;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Tensor;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files: an
 * 8-byte little-endian header length, a UTF-8 JSON header naming each tensor's dtype, shape and byte
 * range, then the raw little-endian data.
 *
 * <p>The reader is strict: it checks the header length against the file and a 100 MB limit before
 * allocating anything for it, parses the header with a strict JSON parser, and checks every entry
 * (known dtype, non-negative shape, byte size matching the shape) and the byte ranges together (in
 * bounds, covering the data section exactly, with no gaps or overlaps). Whatever is wrong is reported as
 * a {@link SafeTensorsException} naming the file and the problem.
 *
 * <p>The writer stores {@link Tensor}s as F32 (row-major, whatever their strides) and {@link IntTensor}s
 * as I64, the dtype PyTorch uses for token ids; float tensors come first, each map in its own iteration
 * order. {@link #write} is atomic: it writes a temporary file in the same folder, forces it to disk and
 * renames it over the target, so a reader sees the old file or the new one, never a mix.
 *
 * <pre>{@code
 * Map<String, Tensor> weights = new LinkedHashMap<>();
 * weights.put("C", Tensor.randn(new Rng(42), 27, 10));
 * SafeTensors.write(Path.of("mlp.safetensors"), weights, Map.of(), Map.of("block_size", "3"));
 *
 * SafeTensorFile file = SafeTensors.read(Path.of("mlp.safetensors"));
 * Tensor c = file.floatTensor("C");
 * }</pre>
 */
public final class SafeTensors {

    /** The largest header the reader accepts, as Hugging Face's reader does. */
    public static final int MAX_HEADER_BYTES = 100_000_000;

    /** The largest file this library reads or writes: it holds a file in one {@code byte[]}. */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private static final String METADATA_KEY = "__metadata__";
    private static final int PREFIX_BYTES = 8;
    private static final int IO_CHUNK_BYTES = 1 << 20;
    private static final int ENCODE_CHUNK_BYTES = 1 << 16;

    private SafeTensors() {
    }

    // ================================================================== reading

    /**
     * Reads and validates a whole safetensors file.
     *
     * @throws SafeTensorsException if the file is not a valid safetensors file (the message names the
     *     file and the problem)
     * @throws IOException if the file cannot be read
     */
    public static SafeTensorFile read(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > MAX_FILE_BYTES) {
                throw new SafeTensorsException(source, "file is " + size + " bytes, more than the "
                        + MAX_FILE_BYTES + " this reader holds in memory");
            }
            byte[] bytes = new byte[(int) size];
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.position() < bytes.length) {
                // Bounded reads: a heap buffer read goes through a temporary direct buffer of its size.
                // (The loop tests the position, not hasRemaining(): the limit ends each chunk.)
                buffer.limit(Math.min(bytes.length, buffer.position() + IO_CHUNK_BYTES));
                if (channel.read(buffer) < 0) {
                    throw new SafeTensorsException(source, "file ended after " + buffer.position()
                            + " of its " + size + " bytes (was it truncated while being read?)");
                }
            }
            return decodeOwned(bytes, source);
        }
    }

    /**
     * Validates and decodes the bytes of a safetensors file (copied, so the caller may reuse them).
     *
     * @param sourceName the name error messages use for these bytes, e.g. a file name or URL
     * @throws SafeTensorsException if the bytes are not a valid safetensors file
     */
    public static SafeTensorFile decode(byte[] bytes, String sourceName) throws SafeTensorsException {
        return decodeOwned(bytes.clone(), sourceName);
    }

    private static SafeTensorFile decodeOwned(byte[] bytes, String source) throws SafeTensorsException {
        if (bytes.length < PREFIX_BYTES) {
            throw new SafeTensorsException(source, "file is " + bytes.length
                    + " bytes, shorter than the 8-byte header length prefix");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // Unsigned comparisons: a length of 2^63 or more reads as negative in a long.
        if (Long.compareUnsigned(headerLength, MAX_HEADER_BYTES) > 0) {
            throw new SafeTensorsException(source, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        long available = bytes.length - PREFIX_BYTES;
        if (headerLength > available) {
            throw new SafeTensorsException(source, "header length " + headerLength
                    + " runs past the end of the file (" + available + " bytes follow the length prefix)");
        }
        int headerEnd = PREFIX_BYTES + (int) headerLength;
        if (headerLength == 0 || bytes[PREFIX_BYTES] != '{') {
            throw new SafeTensorsException(source, headerLength == 0 ? "header is empty"
                    : "header does not start with '{'");
        }
        String headerText = utf8(bytes, PREFIX_BYTES, headerEnd, source);
        Json.Value header;
        try {
            header = Json.parse(headerText);
        } catch (Json.SyntaxException e) {
            throw new SafeTensorsException(source, "header is not valid JSON: " + e.getMessage());
        }
        if (!(header instanceof Json.Obj root)) {
            throw new SafeTensorsException(source, "header is " + header.typeName() + ", expected an object");
        }
        int dataLength = bytes.length - headerEnd;
        LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
        LinkedHashMap<String, SafeTensorFile.Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Json.Value> member : root.members().entrySet()) {
            if (member.getKey().equals(METADATA_KEY)) {
                readMetadata(member.getValue(), metadata, source);
            } else {
                entries.put(member.getKey(), readEntry(member.getKey(), member.getValue(), dataLength, headerEnd,
                        source));
            }
        }
        checkCoverage(entries, headerEnd, dataLength, source);
        return new SafeTensorFile(source, entries, metadata, bytes);
    }

    /** Strict UTF-8: malformed, overlong and surrogate encodings are all rejected. */
    private static String utf8(byte[] bytes, int from, int to, String source) throws SafeTensorsException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from); // UTF-8 never yields more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new SafeTensorsException(source, "header is not valid UTF-8 at byte " + (in.position() - from)
                    + " of the header");
        }
        return out.flip().toString();
    }

    private static void readMetadata(Json.Value value, Map<String, String> metadata, String source)
            throws SafeTensorsException {
        if (value instanceof Json.Null) {
            return; // Hugging Face writes no metadata as an absent key, but its reader also takes null
        }
        if (!(value instanceof Json.Obj map)) {
            throw new SafeTensorsException(source, METADATA_KEY + " is " + value.typeName()
                    + ", expected an object of strings");
        }
        for (Map.Entry<String, Json.Value> e : map.members().entrySet()) {
            if (!(e.getValue() instanceof Json.Str s)) {
                throw new SafeTensorsException(source, METADATA_KEY + " value for key " + Json.quote(e.getKey())
                        + " is " + e.getValue().typeName() + ", expected a string");
            }
            metadata.put(e.getKey(), s.value());
        }
    }

    private static SafeTensorFile.Entry readEntry(String name, Json.Value value, int dataLength, int dataStart,
            String source) throws SafeTensorsException {
        String where = "tensor " + Json.quote(name) + ": ";
        if (!(value instanceof Json.Obj entry)) {
            throw new SafeTensorsException(source, where + "entry is " + value.typeName()
                    + ", expected an object with dtype, shape and data_offsets");
        }
        for (String field : entry.members().keySet()) {
            if (!field.equals("dtype") && !field.equals("shape") && !field.equals("data_offsets")) {
                throw new SafeTensorsException(source, where + "unknown field " + Json.quote(field)
                        + " (expected dtype, shape and data_offsets)");
            }
        }
        Json.Value dtypeValue = field(entry, "dtype", where, source);
        if (!(dtypeValue instanceof Json.Str dtypeName)) {
            throw new SafeTensorsException(source, where + "dtype is " + dtypeValue.typeName() + ", expected a string");
        }
        DType dtype = DType.byName(dtypeName.value());
        if (dtype == null) {
            throw new SafeTensorsException(source, where + "unknown dtype " + Json.quote(dtypeName.value())
                    + " (known: " + DType.allNames() + ")");
        }

        List<Json.Value> shapeValues = array(field(entry, "shape", where, source), "shape", where, source);
        int[] shape = new int[shapeValues.size()];
        boolean anyZero = false;
        for (int i = 0; i < shape.length; i++) {
            long size = nonNegativeInteger(shapeValues.get(i), "shape[" + i + "]", where, source);
            if (size > Integer.MAX_VALUE) {
                throw new SafeTensorsException(source, where + "shape[" + i + "] is " + size
                        + ", larger than the " + Integer.MAX_VALUE + " an axis may hold");
            }
            shape[i] = (int) size;
            anyZero |= size == 0;
        }
        long byteSize = 0;
        if (!anyZero) {
            try {
                long numel = 1;
                for (int size : shape) {
                    numel = Math.multiplyExact(numel, size);
                }
                byteSize = Math.multiplyExact(numel, dtype.byteSize);
            } catch (ArithmeticException overflow) {
                throw new SafeTensorsException(source, where + dtype + " " + SafeTensorFile.shapeString(shape)
                        + " needs more bytes than a 64-bit count holds");
            }
        }

        List<Json.Value> offsetValues = array(field(entry, "data_offsets", where, source), "data_offsets", where,
                source);
        if (offsetValues.size() != 2) {
            throw new SafeTensorsException(source, where + "data_offsets has " + offsetValues.size()
                    + " elements, expected [begin, end]");
        }
        long begin = nonNegativeInteger(offsetValues.get(0), "data_offsets[0]", where, source);
        long end = nonNegativeInteger(offsetValues.get(1), "data_offsets[1]", where, source);
        String offsets = "data_offsets [" + begin + "," + end + "]";
        if (begin > end) {
            throw new SafeTensorsException(source, where + offsets + " begin after end");
        }
        if (end > dataLength) {
            throw new SafeTensorsException(source, where + offsets + " run past the end of the " + dataLength
                    + "-byte data section");
        }
        if (end - begin != byteSize) {
            throw new SafeTensorsException(source, where + offsets + " span " + (end - begin) + " bytes but "
                    + dtype + " " + SafeTensorFile.shapeString(shape) + " needs " + byteSize);
        }
        return new SafeTensorFile.Entry(dtype, shape, dataStart + (int) begin, dataStart + (int) end);
    }

    private static Json.Value field(Json.Obj entry, String name, String where, String source)
            throws SafeTensorsException {
        Json.Value v = entry.members().get(name);
        if (v == null) {
            throw new SafeTensorsException(source, where + "missing field " + Json.quote(name));
        }
        return v;
    }

    private static List<Json.Value> array(Json.Value v, String name, String where, String source)
            throws SafeTensorsException {
        if (!(v instanceof Json.Arr arr)) {
            throw new SafeTensorsException(source, where + name + " is " + v.typeName() + ", expected an array");
        }
        return arr.elements();
    }

    /** A JSON integer {@code >= 0} that fits a long; fractions, exponents and signs are refused. */
    private static long nonNegativeInteger(Json.Value v, String name, String where, String source)
            throws SafeTensorsException {
        if (!(v instanceof Json.Num num)) {
            throw new SafeTensorsException(source, where + name + " is " + v.typeName()
                    + ", expected a non-negative integer");
        }
        String text = num.text();
        if (!num.isInteger() || text.startsWith("-")) {
            throw new SafeTensorsException(source, where + name + " is " + abbreviate(text)
                    + ", expected a non-negative integer");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = text.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                throw new SafeTensorsException(source, where + name + " is " + abbreviate(text)
                        + ", too large for a 64-bit integer");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "… (" + text.length() + " characters)";
    }

    /** The byte ranges, sorted, must tile the data section: no gaps, no overlaps, nothing left over. */
    private static void checkCoverage(Map<String, SafeTensorFile.Entry> entries, int dataStart, int dataLength,
            String source) throws SafeTensorsException {
        List<Map.Entry<String, SafeTensorFile.Entry>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort(Comparator.comparingInt((Map.Entry<String, SafeTensorFile.Entry> e) -> e.getValue().begin())
                .thenComparingInt(e -> e.getValue().end()));
        int covered = 0;
        String previous = null;
        for (Map.Entry<String, SafeTensorFile.Entry> e : sorted) {
            int begin = e.getValue().begin() - dataStart;
            int end = e.getValue().end() - dataStart;
            if (begin > covered) {
                throw new SafeTensorsException(source, "gap in the data section: bytes [" + covered + "," + begin
                        + ") belong to no tensor (the next tensor is " + Json.quote(e.getKey()) + ")");
            }
            if (begin < covered) {
                throw new SafeTensorsException(source, "tensor " + Json.quote(e.getKey()) + " with data_offsets ["
                        + begin + "," + end + "] overlaps tensor " + Json.quote(previous) + ", which ends at "
                        + covered);
            }
            covered = end;
            previous = e.getKey();
        }
        if (covered != dataLength) {
            throw new SafeTensorsException(source, "the data section has " + dataLength + " bytes but the tensors"
                    + " cover only the first " + covered + " (" + (dataLength - covered) + " trailing bytes)");
        }
    }

    // ================================================================== writing

    /**
     * Writes tensors and metadata to {@code file} atomically: the bytes go to a temporary file in the
     * same folder, which is forced to disk and then renamed over {@code file}. If anything fails, the
     * temporary file is removed and any existing {@code file} is left as it was.
     *
     * @param floats   tensors stored as F32, in iteration order (any strides; values are written row-major)
     * @param ints     tensors stored as I64, after the float tensors, in iteration order
     * @param metadata stored as {@code __metadata__} (omitted when empty)
     * @throws IllegalArgumentException if a name is empty, starts with {@code "__"}, appears in both maps,
     *     or a string is not valid Unicode, or the file would exceed {@link #MAX_FILE_BYTES}
     */
    public static void write(Path file, Map<String, Tensor> floats, Map<String, IntTensor> ints,
            Map<String, String> metadata) throws IOException {
        Layout layout = Layout.of(file.toString(), floats, ints, metadata);
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        Path temporary = null;
        boolean renamed = false;
        try {
            temporary = createTemporary(folder, target.getFileName().toString());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), ENCODE_CHUNK_BYTES)) {
                layout.writeTo(out);
                out.flush();
                channel.force(true);
            }
            move(temporary, target);
            renamed = true;
        } finally {
            if (temporary != null && !renamed) {
                Files.deleteIfExists(temporary);
            }
        }
        syncFolder(folder);
    }

    /**
     * The bytes of a safetensors file holding these tensors and metadata, exactly as {@link #write}
     * would store them.
     *
     * @throws IllegalArgumentException as {@link #write} does
     */
    public static byte[] encode(Map<String, Tensor> floats, Map<String, IntTensor> ints, Map<String, String> metadata) {
        Layout layout = Layout.of("safetensors bytes", floats, ints, metadata);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) layout.fileBytes());
        try {
            layout.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
        }
        return out.toByteArray();
    }

    /** A name nobody else uses, next to the target so that the rename stays on one file system. */
    private static Path createTemporary(Path folder, String targetName) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = folder.resolve("." + targetName + "." + Long.toHexString(ThreadLocalRandom.current()
                    .nextLong()) + ".tmp");
            try {
                // Not Files.createTempFile: that makes the file owner-only, and the rename would keep it so.
                Files.newByteChannel(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 9) {
                    throw taken;
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable where the platform allows it. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Windows cannot open a folder as a channel; the rename is still atomic, only maybe not yet durable.
        }
    }

    /** One tensor to write: exactly one of {@code floats} (stored as F32) and {@code ints} (stored as I64). */
    private record Item(String name, Tensor floats, IntTensor ints) {
        DType dtype() {
            return floats != null ? DType.F32 : DType.I64;
        }

        int[] shape() {
            return floats != null ? floats.shape() : ints.shape();
        }

        long byteSize() {
            return (long) (floats != null ? floats.numel() : ints.numel()) * dtype().byteSize;
        }
    }

    /** A validated plan of one file: the header bytes (prefix included) and the tensors in data order. */
    private record Layout(byte[] head, List<Item> tensors, long dataBytes) {

        static Layout of(String target, Map<String, Tensor> floats, Map<String, IntTensor> ints,
                Map<String, String> metadata) {
            Objects.requireNonNull(floats, "floats");
            Objects.requireNonNull(ints, "ints");
            Objects.requireNonNull(metadata, "metadata");
            String where = "writing " + target + ": ";
            List<Item> tensors = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Map.Entry<String, Tensor> e : floats.entrySet()) {
                tensors.add(new Item(checkName(e.getKey(), seen, where),
                        checkTensor(e.getKey(), e.getValue(), where), null));
            }
            for (Map.Entry<String, IntTensor> e : ints.entrySet()) {
                tensors.add(new Item(checkName(e.getKey(), seen, where), null,
                        checkTensor(e.getKey(), e.getValue(), where)));
            }

            StringBuilder json = new StringBuilder("{");
            if (!metadata.isEmpty()) {
                Json.appendString(json, METADATA_KEY);
                json.append(":{");
                boolean first = true;
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    json.append(first ? "" : ",");
                    first = false;
                    Json.appendString(json, checkString(e.getKey(), "metadata key", where));
                    json.append(':');
                    Json.appendString(json, checkString(e.getValue(), "metadata value for key "
                            + Json.quote(String.valueOf(e.getKey())), where));
                }
                json.append('}');
            }
            long offset = 0;
            for (Item item : tensors) {
                json.append(json.length() == 1 ? "" : ",");
                Json.appendString(json, item.name());
                json.append(":{\"dtype\":\"").append(item.dtype()).append("\",\"shape\":")
                        .append(SafeTensorFile.shapeString(item.shape())).append(",\"data_offsets\":[").append(offset)
                        .append(',').append(offset + item.byteSize()).append("]}");
                offset += item.byteSize();
            }
            json.append('}');
            byte[] headerJson = json.toString().getBytes(StandardCharsets.UTF_8);
            // Pad with spaces so the data section starts 8-byte aligned, as Hugging Face's writer does.
            int headerLength = (headerJson.length + 7) / 8 * 8;
            if (headerLength > MAX_HEADER_BYTES) {
                throw new IllegalArgumentException(where + "the header would be " + headerLength
                        + " bytes, more than the " + MAX_HEADER_BYTES + " readers accept");
            }
            if (PREFIX_BYTES + headerLength + offset > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(where + "the file would be " + (PREFIX_BYTES + headerLength + offset)
                        + " bytes, more than the " + MAX_FILE_BYTES + " this library reads");
            }
            ByteBuffer head = ByteBuffer.allocate(PREFIX_BYTES + headerLength).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(headerLength).put(headerJson);
            while (head.hasRemaining()) {
                head.put((byte) ' ');
            }
            return new Layout(head.array(), tensors, offset);
        }

        private static String checkName(String name, Set<String> seen, String where) {
            checkString(name, "tensor name", where);
            if (name.isEmpty()) {
                throw new IllegalArgumentException(where + "a tensor name is empty");
            }
            if (name.startsWith("__")) {
                throw new IllegalArgumentException(where + "tensor name " + Json.quote(name)
                        + " starts with \"__\", which safetensors reserves (e.g. __metadata__)");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(where + "tensor name " + Json.quote(name)
                        + " is both a float and an int tensor");
            }
            return name;
        }

        private static <T> T checkTensor(String name, T tensor, String where) {
            if (tensor == null) {
                throw new IllegalArgumentException(where + "tensor " + Json.quote(name) + " is null");
            }
            return tensor;
        }

        private static String checkString(String s, String what, String where) {
            if (s == null) {
                throw new IllegalArgumentException(where + what + " is null");
            }
            int bad = Json.firstLoneSurrogate(s);
            if (bad >= 0) {
                throw new IllegalArgumentException(where + what + " " + Json.quote(s)
                        + " is not valid Unicode (unpaired surrogate at index " + bad + ")");
            }
            return s;
        }

        long fileBytes() {
            return head.length + dataBytes;
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(head);
            ByteBuffer chunk = ByteBuffer.allocate(ENCODE_CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Item item : tensors) {
                if (item.floats() != null) {
                    writeFloats(item.floats(), chunk, out);
                } else {
                    writeLongs(item.ints().data(), chunk, out);
                }
            }
        }

        private static void writeFloats(Tensor t, ByteBuffer chunk, OutputStream out) throws IOException {
            // A contiguous tensor is written straight from its storage; any other view is copied row-major.
            float[] values = t.isContiguous() ? t.storage() : t.toArray();
            int from = t.isContiguous() ? t.offset() : 0;
            int perChunk = chunk.capacity() / Float.BYTES;
            for (int done = 0; done < t.numel(); done += perChunk) {
                int n = Math.min(perChunk, t.numel() - done);
                chunk.clear();
                chunk.asFloatBuffer().put(values, from + done, n);
                out.write(chunk.array(), 0, n * Float.BYTES);
            }
        }

        private static void writeLongs(int[] values, ByteBuffer chunk, OutputStream out) throws IOException {
            int perChunk = chunk.capacity() / Long.BYTES;
            for (int done = 0; done < values.length; done += perChunk) {
                int n = Math.min(perChunk, values.length - done);
                chunk.clear();
                for (int i = 0; i < n; i++) {
                    chunk.putLong(values[done + i]);
                }
                out.write(chunk.array(), 0, n * Long.BYTES);
            }
        }
    }
}
