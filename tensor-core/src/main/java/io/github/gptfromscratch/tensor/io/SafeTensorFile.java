package io.github.gptfromscratch.tensor.io;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The validated contents of one safetensors file: named tensors and string metadata. Immutable; names
 * keep the order of the file's header. Every accessor returns a fresh tensor, so callers may modify what
 * they get.
 *
 * <p>Floating dtypes (F32, F64, F16, BF16, F8_E5M2, F8_E4M3) are read with {@link #floatTensor} as
 * float32; integer dtypes (I64, I32, I16, I8, U64, U32, U16, U8, BOOL) with {@link #intTensor} as
 * {@code int}, checking that every value fits.
 *
 * <pre>{@code
 * SafeTensorFile file = SafeTensors.read(Path.of("mlp_names.safetensors"));
 * Tensor embedding = file.floatTensor("C");        // F32 [27,10]
 * IntTensor batch = file.intTensor("input.X");      // I64 [32,3], narrowed to int
 * String blockSize = file.metadata().get("block_size");
 * }</pre>
 */
public final class SafeTensorFile {

    /** How many names a "no tensor named" error lists. */
    private static final int NAMES_IN_ERRORS = 8;

    /**
     * One header entry, already validated against the data section; {@code begin} and {@code end} are
     * positions in the decoder's byte array (the header's data_offsets plus the data section's start).
     */
    record Entry(DType dtype, int[] shape, int begin, int end) {
        int numel() {
            return (end - begin) / dtype.byteSize;
        }
    }

    private final String source;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    private final byte[] data;

    /**
     * Takes ownership of {@code entries}, {@code metadata} and {@code data} (the bytes the entries point
     * into); the decoder has validated them together.
     */
    SafeTensorFile(String source, LinkedHashMap<String, Entry> entries, LinkedHashMap<String, String> metadata,
            byte[] data) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.data = data;
    }

    /** The file or source name the contents came from, as used in error messages. */
    public String source() {
        return source;
    }

    /** The tensor names in header order (unmodifiable). */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The {@code __metadata__} map in header order (unmodifiable); empty when the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Whether the file has a tensor called {@code name}. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The dtype name of a tensor as the header spells it, e.g. {@code "F32"} or {@code "I64"}. */
    public String dtype(String name) throws SafeTensorsException {
        return entry(name).dtype().name();
    }

    /** A copy of a tensor's shape; {@code []} for a 0-d tensor. */
    public int[] shape(String name) throws SafeTensorsException {
        return entry(name).shape().clone();
    }

    /**
     * A floating tensor as float32 (F64 values are rounded to the nearest float, so values beyond the
     * float range become infinite).
     *
     * @throws SafeTensorsException if there is no such tensor or its dtype is not a floating one
     */
    public Tensor floatTensor(String name) throws SafeTensorsException {
        Entry e = entry(name);
        if (e.dtype().kind != DType.Kind.FLOAT) {
            throw new SafeTensorsException(source, "tensor " + Json.quote(name) + " is " + e.dtype()
                    + ", not a floating dtype; read it with intTensor");
        }
        return toTensor(e);
    }

    /**
     * An integer or bool tensor as {@code int}.
     *
     * @throws SafeTensorsException if there is no such tensor, its dtype is not an integer one, or a value
     *     does not fit an {@code int} (a bool byte must be 0 or 1)
     */
    public IntTensor intTensor(String name) throws SafeTensorsException {
        Entry e = entry(name);
        if (e.dtype().kind != DType.Kind.INTEGER) {
            throw new SafeTensorsException(source, "tensor " + Json.quote(name) + " is " + e.dtype()
                    + ", not an integer dtype; read it with floatTensor");
        }
        DType.IntConversion converted = e.dtype().toInts(data, e.begin(), e.numel());
        if (converted.values() == null) {
            String what = e.dtype() == DType.BOOL ? "which is not a bool (0 or 1)" : "which does not fit an int";
            throw new SafeTensorsException(source, "tensor " + Json.quote(name) + " (" + e.dtype() + " "
                    + shapeString(e.shape()) + ") holds " + converted.badValue() + " at flat index "
                    + converted.badIndex() + ", " + what);
        }
        return IntTensor.of(converted.values(), e.shape());
    }

    /** Every floating tensor, as float32, in header order (a fresh modifiable map). */
    public Map<String, Tensor> floatTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : entries.entrySet()) {
            if (e.getValue().dtype().kind == DType.Kind.FLOAT) {
                out.put(e.getKey(), toTensor(e.getValue()));
            }
        }
        return out;
    }

    /**
     * Every integer and bool tensor, as {@code int}, in header order (a fresh modifiable map).
     *
     * @throws SafeTensorsException if a value does not fit an {@code int}
     */
    public Map<String, IntTensor> intTensors() throws SafeTensorsException {
        Map<String, IntTensor> out = new LinkedHashMap<>();
        for (var e : entries.entrySet()) {
            if (e.getValue().dtype().kind == DType.Kind.INTEGER) {
                out.put(e.getKey(), intTensor(e.getKey()));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "SafeTensorFile[" + source + ", " + entries.size() + " tensors, " + metadata.size()
                + " metadata entries]";
    }

    /** Decodes a floating entry; a shape of {@code []} gives a 0-d tensor. */
    private Tensor toTensor(Entry e) {
        float[] values = e.dtype().toFloats(data, e.begin(), e.numel());
        return e.shape().length == 0 ? Tensor.scalar(values[0]) : Tensor.of(values, e.shape());
    }

    private Entry entry(String name) throws SafeTensorsException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new SafeTensorsException(source, "no tensor named " + Json.quote(String.valueOf(name))
                    + "; " + someNames());
        }
        return e;
    }

    private String someNames() {
        if (entries.isEmpty()) {
            return "the file holds no tensors";
        }
        StringJoiner joiner = new StringJoiner(", ");
        entries.keySet().stream().limit(NAMES_IN_ERRORS).map(Json::quote).forEach(joiner::add);
        String more = entries.size() > NAMES_IN_ERRORS ? ", … (" + entries.size() + " in all)" : "";
        return "the file holds " + joiner + more;
    }

    static String shapeString(int[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }
}
