package io.github.gptfromscratch.tensor.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-made safetensors bytes and the location of the shared golden files, for the tests of this package. */
final class TestFiles {

    private TestFiles() {
    }

    /** A file with this header (UTF-8, unpadded) followed by {@code dataBytes} bytes counting 0, 1, 2, … */
    static byte[] file(String headerJson, int dataBytes) {
        byte[] data = new byte[dataBytes];
        for (int i = 0; i < dataBytes; i++) {
            data[i] = (byte) i;
        }
        return file(headerJson.getBytes(StandardCharsets.UTF_8), data);
    }

    /** A file with these header bytes, their true length as prefix, then {@code data}. */
    static byte[] file(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    /** The 8-byte little-endian prefix for a claimed header length, followed by {@code rest}. */
    static byte[] withPrefix(long claimedHeaderLength, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(claimedHeaderLength).put(rest).array();
    }

    /** Little-endian bytes of the given longs. */
    static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /**
     * The shared folder with the golden files: the {@code gptfs.shared.dir} system property (set by the
     * parent POM), else {@code ../../shared} from the module folder.
     */
    static Path sharedDir() {
        String configured = System.getProperty("gptfs.shared.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("shared folder not found at " + dir.toAbsolutePath()
                    + " (set -Dgptfs.shared.dir)");
        }
        return dir;
    }
}
