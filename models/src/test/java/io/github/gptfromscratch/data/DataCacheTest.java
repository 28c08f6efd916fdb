package io.github.gptfromscratch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCacheTest {

    // Port 9 (discard) on the loopback address: nothing listens there, so connecting fails at once.
    private static final URI UNREACHABLE = URI.create("http://127.0.0.1:9/names.txt");
    private static final byte[] CONTENT = "emma\nolivia\nava\n".getBytes(StandardCharsets.US_ASCII);
    private static final String CONTENT_SHA256 = sha256Hex(CONTENT);

    @TempDir
    Path temp;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A local HTTP server answering {@code /names.txt} with {@code status} and {@code body}; counts requests. */
    private URI serve(int status, byte[] body, AtomicInteger requests) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/names.txt", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/names.txt");
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void directoryComesFromThePropertyThenTheEnvironmentThenHome() {
        assertEquals(Path.of("/p"), DataCache.resolveDirectory("/p", "/e", "/home/u"));
        assertEquals(Path.of("/e"), DataCache.resolveDirectory(null, "/e", "/home/u"));
        assertEquals(Path.of("/e"), DataCache.resolveDirectory(" ", "/e", "/home/u"));
        assertEquals(Path.of("/home/u/.cache/gpt-from-scratch"), DataCache.resolveDirectory(null, null, "/home/u"));
    }

    @Test
    void offlineErrorNamesTheUrlThePathAndTheFixes() throws IOException {
        Path dir = temp.resolve("cache");
        DataCache cache = new DataCache(dir, Duration.ofSeconds(2));
        RemoteFile file = new RemoteFile("names.txt", UNREACHABLE, Datasets.NAMES.sha256());

        var e = assertThrows(DatasetUnavailableException.class, () -> cache.fetch(file));

        String message = e.getMessage();
        assertTrue(message.contains(UNREACHABLE.toString()), message);
        assertTrue(message.contains("cannot connect to 127.0.0.1:9"), message);
        assertTrue(message.contains(dir.resolve("names.txt").toAbsolutePath().toString()), message);
        assertTrue(message.contains("GPTFS_DATA_DIR"), message);
        assertTrue(message.contains("-Dgptfs.data.dir"), message);
        assertTrue(message.contains("--data FILE"), message);
        assertTrue(message.contains(Datasets.NAMES.sha256()), message);
        assertEquals(List.of(), filesIn(dir), "a failed download leaves no file behind");
    }

    @Test
    void aFileInTheCacheIsUsedWithoutTheNetwork() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("cache"));
        Path seeded = Files.copy(SharedData.file("names.txt"), dir.resolve("names.txt"));
        DataCache cache = new DataCache(dir, Duration.ofSeconds(2));

        Path path = cache.fetch(new RemoteFile("names.txt", UNREACHABLE, Datasets.NAMES.sha256()));

        assertEquals(seeded, path);
        assertEquals(Datasets.NAMES.sha256(), DataCache.sha256(path));
    }

    @Test
    void aHandPlacedFileWithAnotherHashIsStillUsed() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("cache"));
        Files.write(dir.resolve("names.txt"), CONTENT);
        DataCache cache = new DataCache(dir);

        Path path = cache.fetch(new RemoteFile("names.txt", UNREACHABLE, Datasets.NAMES.sha256()));

        assertArrayEquals(CONTENT, Files.readAllBytes(path));
    }

    @Test
    void downloadsOnceVerifiesAndThenHitsTheCache() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        URI url = serve(200, CONTENT, requests);
        Path dir = temp.resolve("new").resolve("cache");
        DataCache cache = new DataCache(dir);
        RemoteFile file = new RemoteFile("names.txt", url, CONTENT_SHA256);

        Path first = cache.fetch(file);
        Path second = cache.fetch(file);

        assertEquals(dir.resolve("names.txt"), first);
        assertEquals(first, second);
        assertArrayEquals(CONTENT, Files.readAllBytes(first));
        assertEquals(1, requests.get(), "the second fetch must come from the cache");
        assertEquals(List.of(first), filesIn(dir), "no temporary file is left");
    }

    @Test
    void aDownloadWithTheWrongHashIsDiscarded() throws IOException {
        URI url = serve(200, CONTENT, new AtomicInteger());
        Path dir = temp.resolve("cache");
        RemoteFile file = new RemoteFile("names.txt", url, Datasets.NAMES.sha256());

        var e = assertThrows(DatasetUnavailableException.class, () -> new DataCache(dir).fetch(file));

        assertTrue(e.getMessage().contains("has sha256 " + CONTENT_SHA256), e.getMessage());
        assertEquals(List.of(), filesIn(dir));
    }

    @Test
    void anHttpErrorIsReported() throws IOException {
        URI url = serve(404, "not found".getBytes(StandardCharsets.US_ASCII), new AtomicInteger());
        Path dir = temp.resolve("cache");
        RemoteFile file = new RemoteFile("names.txt", url, CONTENT_SHA256);

        var e = assertThrows(DatasetUnavailableException.class, () -> new DataCache(dir).fetch(file));

        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains(url.toString()), e.getMessage());
        assertFalse(Files.exists(dir.resolve("names.txt")));
    }

    @Test
    void remoteFilesAreValidated() {
        URI url = URI.create("http://example.invalid/x");
        assertThrows(IllegalArgumentException.class, () -> new RemoteFile("a/b.txt", url, CONTENT_SHA256));
        assertThrows(IllegalArgumentException.class, () -> new RemoteFile("b.txt", url, "ABC"));
        assertThrows(IllegalArgumentException.class, () -> new DataCache(Path.of("x"), Duration.ZERO));
    }
}
