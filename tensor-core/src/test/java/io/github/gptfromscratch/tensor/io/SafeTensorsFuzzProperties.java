package io.github.gptfromscratch.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Random valid files, mutated at random, are either refused with a {@link SafeTensorsException} or
 * decoded consistently: never another exception, an error, or a hang.
 */
class SafeTensorsFuzzProperties {

    private static final Duration TIME_LIMIT = Duration.ofSeconds(5);
    private static final String NAME_CHARACTERS = "abcxyz019._-/ ä名🤖\"\\\n";

    /** One tensor of a generated file: where its bytes are in the data section. */
    private record Spec(String name, DType dtype, int[] shape, int begin, int end) {
    }

    /** A generated valid file and what it holds. */
    private record Generated(byte[] bytes, int headerLength, List<Spec> specs, Map<String, String> metadata) {
        int dataStart() {
            return 8 + headerLength;
        }
    }

    private enum Mutation {
        TRUNCATE, FLIP_HEADER_BYTES, FLIP_DATA_BYTE, EDIT_OFFSET, EDIT_SHAPE, EDIT_DTYPE, DUPLICATE_KEY,
        EDIT_LENGTH_PREFIX
    }

    /** A header-level edit applied while the header is written; {@code tensor} indexes the specs. */
    private record HeaderEdit(Mutation kind, int tensor, Random random) {
    }

    /** What decoding (and then reading every tensor) gave: a refusal, or per tensor its values or refusal. */
    private record Outcome(SafeTensorsException refusal, SafeTensorFile file, Map<String, Object> values) {
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
    void mutatedFileIsRefusedOrDecodedConsistently(@ForAll long seed) {
        // One time limit for the whole try: a hang anywhere in decoding fails it, naming the seed.
        String outcome = assertTimeoutPreemptively(TIME_LIMIT, () -> checkOneMutation(seed),
                "seed " + seed + ": decoding took longer than " + TIME_LIMIT);
        Statistics.collect(outcome);
    }

    /** Generates, mutates, decodes and checks one file; returns the mutation and whether it was refused. */
    private static String checkOneMutation(long seed) {
        Random random = new Random(seed);
        Generated original = generate(random, null);
        String context = "seed " + seed;
        Outcome clean = decode(original.bytes(), context + ", unmutated");
        assertMatchesSpecs(original, clean, context);

        Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
        if (mutation == Mutation.FLIP_DATA_BYTE && original.bytes().length == original.dataStart()) {
            mutation = Mutation.FLIP_HEADER_BYTES; // no data to flip
        }
        context += ", mutation " + mutation;
        byte[] mutated;
        int flippedDataByte = -1;
        switch (mutation) {
            case TRUNCATE -> mutated = Arrays.copyOf(original.bytes(), random.nextInt(original.bytes().length));
            case FLIP_HEADER_BYTES -> {
                mutated = original.bytes().clone();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    mutated[8 + random.nextInt(original.headerLength())] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case FLIP_DATA_BYTE -> {
                mutated = original.bytes().clone();
                flippedDataByte = random.nextInt(mutated.length - original.dataStart());
                mutated[original.dataStart() + flippedDataByte] ^= (byte) (1 + random.nextInt(255));
            }
            case EDIT_LENGTH_PREFIX -> {
                mutated = original.bytes().clone();
                long claimed = random.nextBoolean()
                        ? original.headerLength() + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(16))
                        : random.nextLong();
                if (claimed == original.headerLength()) {
                    claimed++;
                }
                ByteBuffer.wrap(mutated).order(ByteOrder.LITTLE_ENDIAN).putLong(0, claimed);
            }
            default -> mutated = generate(new Random(seed),
                    new HeaderEdit(mutation, random.nextInt(original.specs().size()), random)).bytes();
        }
        Outcome outcome = decode(mutated, context);

        switch (mutation) {
            case TRUNCATE, EDIT_LENGTH_PREFIX, EDIT_OFFSET, DUPLICATE_KEY ->
                    assertNotNull(outcome.refusal(), context + ": the mutated file must be refused");
            case FLIP_DATA_BYTE -> {
                assertNull(outcome.refusal(), context + ": a data byte flip leaves the header valid");
                assertSameLayout(clean.file(), outcome.file(), context);
                for (Spec s : original.specs()) {
                    boolean flippedHere = flippedDataByte >= s.begin() && flippedDataByte < s.end();
                    if (!flippedHere) {
                        assertSameValues(clean.values().get(s.name()), outcome.values().get(s.name()),
                                context + ", untouched tensor " + s.name());
                    }
                }
            }
            case EDIT_SHAPE, EDIT_DTYPE -> {
                if (outcome.refusal() == null) {
                    // Only a change that keeps every byte count can pass: a dtype of the same size, or a new
                    // shape of an empty tensor that is still empty.
                    assertEquals(original.specs().size(), outcome.file().names().size(), context);
                    for (Spec s : original.specs()) {
                        String name = s.name();
                        int[] shape = shapeOf(outcome.file(), name);
                        DType dtype = DType.valueOf(dtypeOf(outcome.file(), name));
                        assertEquals(s.dtype().byteSize * numel(s.shape()), dtype.byteSize * numel(shape),
                                context + ": byte size of " + name);
                    }
                }
            }
            case FLIP_HEADER_BYTES -> {
                // Anything may still parse (a flipped letter in a name); what matters is that nothing but a
                // SafeTensorsException escaped, which decode has checked.
            }
        }
        return mutation + (outcome.refusal() == null ? " decoded" : " refused");
    }

    // ------------------------------------------------------------------ generating valid files

    /** A valid file from {@code random}; with an edit, the same file with that edit made in its header. */
    private static Generated generate(Random random, HeaderEdit edit) {
        int count = 1 + random.nextInt(5);
        Set<String> names = new LinkedHashSet<>();
        while (names.size() < count) {
            names.add(randomString(random, 1 + random.nextInt(6)));
        }
        List<Spec> specs = new ArrayList<>();
        ByteBuffer data = ByteBuffer.allocate(8 * 64 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (String name : names) {
            DType dtype = DType.values()[random.nextInt(DType.values().length)];
            int[] shape = new int[random.nextInt(4)];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = random.nextInt(5);
            }
            int begin = data.position();
            for (int i = 0; i < numel(shape); i++) {
                putRandomValue(random, dtype, data);
            }
            specs.add(new Spec(name, dtype, shape, begin, data.position()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            metadata.put(randomString(random, random.nextInt(5)), randomString(random, random.nextInt(8)));
        }

        List<Integer> headerOrder = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            headerOrder.add(i);
        }
        Collections.shuffle(headerOrder, random); // header order need not be data order
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty() || random.nextBoolean()) {
            Json.appendString(json, "__metadata__");
            json.append(":{");
            boolean first = true;
            for (var e : metadata.entrySet()) {
                json.append(first ? "" : ",");
                first = false;
                Json.appendString(json, e.getKey());
                json.append(':');
                Json.appendString(json, e.getValue());
            }
            json.append("},");
        }
        for (int index : headerOrder) {
            appendEntry(json, specs.get(index), edit != null && edit.tensor() == index ? edit : null);
            json.append(',');
        }
        json.setLength(json.length() - 1);
        json.append('}');
        json.append(" ".repeat(random.nextInt(8))); // trailing padding is allowed

        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] dataBytes = Arrays.copyOf(data.array(), data.position());
        return new Generated(TestFiles.file(header, dataBytes), header.length, specs, metadata);
    }

    private static void appendEntry(StringBuilder json, Spec s, HeaderEdit edit) {
        Mutation kind = edit == null ? null : edit.kind();
        Random random = edit == null ? null : edit.random();
        String dtype = s.dtype().name();
        if (kind == Mutation.EDIT_DTYPE) {
            DType[] all = DType.values();
            dtype = random.nextInt(4) == 0 ? dtype.toLowerCase() + "x" : all[random.nextInt(all.length)].name();
        }
        int[] shape = s.shape().clone();
        if (kind == Mutation.EDIT_SHAPE) {
            if (shape.length == 0 || random.nextInt(3) == 0) {
                shape = Arrays.copyOf(shape, shape.length + 1); // an extra axis of size 0
            } else {
                int axis = random.nextInt(shape.length);
                shape[axis] = shape[axis] + 1 + random.nextInt(3) * (random.nextBoolean() ? 1 : -3);
            }
        }
        long begin = s.begin();
        long end = s.end();
        if (kind == Mutation.EDIT_OFFSET) {
            long delta = (1 + random.nextInt(9)) * (random.nextBoolean() ? 1 : -1);
            if (random.nextBoolean()) {
                begin += delta;
            } else {
                end += delta;
            }
        }
        String entry = Json.quote(s.name()) + ":{\"dtype\":" + Json.quote(dtype) + ",\"shape\":"
                + Arrays.toString(shape).replace(" ", "") + ",\"data_offsets\":[" + begin + "," + end + "]}";
        json.append(entry);
        if (kind == Mutation.DUPLICATE_KEY) {
            json.append(',').append(entry);
        }
    }

    /** A value the accessor for its dtype accepts: integers within the int range, bools 0 or 1. */
    private static void putRandomValue(Random random, DType dtype, ByteBuffer data) {
        switch (dtype) {
            case BOOL -> data.put((byte) random.nextInt(2));
            case I64 -> data.putLong(random.nextInt());
            case U64 -> data.putLong(random.nextInt(Integer.MAX_VALUE));
            case U32 -> data.putInt(random.nextInt(Integer.MAX_VALUE));
            default -> {
                byte[] raw = new byte[dtype.byteSize];
                random.nextBytes(raw);
                data.put(raw);
            }
        }
    }

    private static String randomString(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        int[] codePoints = NAME_CHARACTERS.codePoints().toArray();
        for (int i = 0; i < length; i++) {
            sb.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ decoding and checking

    /** Decodes and reads every tensor; any throwable but a SafeTensorsException fails the property. */
    private static Outcome decode(byte[] bytes, String context) {
        try {
            SafeTensorFile file = SafeTensors.decode(bytes, "fuzz");
            Map<String, Object> values = new LinkedHashMap<>();
            for (String name : file.names()) {
                DType dtype = DType.valueOf(file.dtype(name));
                try {
                    values.put(name, dtype.kind == DType.Kind.FLOAT ? file.floatTensor(name).toArray()
                            : file.intTensor(name).data());
                } catch (SafeTensorsException valueOutOfRange) {
                    values.put(name, valueOutOfRange);
                }
            }
            return new Outcome(null, file, values);
        } catch (SafeTensorsException refused) {
            assertTrue(refused.getMessage().startsWith("fuzz: "), context + ": " + refused.getMessage());
            return new Outcome(refused, null, null);
        } catch (Throwable unexpected) {
            throw new AssertionError(context + ": decoding threw " + unexpected, unexpected);
        }
    }

    private static void assertMatchesSpecs(Generated g, Outcome outcome, String context) {
        assertNull(outcome.refusal(), () -> context + ": a valid file was refused: " + outcome.refusal().getMessage());
        SafeTensorFile f = outcome.file();
        assertEquals(g.metadata(), f.metadata(), context);
        assertEquals(g.specs().stream().map(Spec::name).collect(java.util.stream.Collectors.toSet()), f.names(),
                context);
        ByteBuffer data = ByteBuffer.wrap(g.bytes(), g.dataStart(), g.bytes().length - g.dataStart()).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        for (Spec s : g.specs()) {
            assertEquals(s.dtype().name(), dtypeOf(f, s.name()), context);
            assertArrayEquals(s.shape(), shapeOf(f, s.name()), context);
            Object values = outcome.values().get(s.name());
            if (s.dtype() == DType.F32) {
                float[] read = (float[]) values;
                for (int i = 0; i < read.length; i++) {
                    assertEquals(data.getInt(s.begin() + 4 * i), Float.floatToRawIntBits(read[i]), context);
                }
            } else if (s.dtype() == DType.I64) {
                int[] read = (int[]) values;
                for (int i = 0; i < read.length; i++) {
                    assertEquals(data.getLong(s.begin() + 8 * i), read[i], context);
                }
            } else {
                assertTrue(values instanceof float[] || values instanceof int[], context + ": " + s.name()
                        + " should be readable, got " + values);
            }
        }
    }

    private static void assertSameLayout(SafeTensorFile expected, SafeTensorFile actual, String context) {
        assertEquals(List.copyOf(expected.names()), List.copyOf(actual.names()), context);
        assertEquals(expected.metadata(), actual.metadata(), context);
        for (String name : expected.names()) {
            assertEquals(dtypeOf(expected, name), dtypeOf(actual, name), context);
            assertArrayEquals(shapeOf(expected, name), shapeOf(actual, name), context);
        }
    }

    private static void assertSameValues(Object expected, Object actual, String context) {
        if (expected instanceof float[] e) {
            assertArrayEquals(e, (float[]) actual, context);
        } else {
            assertArrayEquals((int[]) expected, (int[]) actual, context);
        }
    }

    private static String dtypeOf(SafeTensorFile f, String name) {
        try {
            return f.dtype(name);
        } catch (SafeTensorsException e) {
            throw new AssertionError(e);
        }
    }

    private static int[] shapeOf(SafeTensorFile f, String name) {
        try {
            return f.shape(name);
        } catch (SafeTensorsException e) {
            throw new AssertionError(e);
        }
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }
}
