package io.github.gptfromscratch.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of downloaded data files: a file is fetched from its URL on first use, checked against its
 * SHA-256, and read from the folder ever after.
 *
 * <p>The folder is, in order of precedence, the system property {@value #DIRECTORY_PROPERTY}, the
 * environment variable {@value #DIRECTORY_ENV}, or {@code ~/.cache/gpt-from-scratch}. A download goes
 * to a temporary file in the same folder and is renamed into place only once complete and verified, so
 * an interrupted download or two processes downloading at once never leave a partial file under the
 * real name.
 *
 * <pre>{@code
 * Path names = DataCache.standard().fetch(Datasets.NAMES); // downloads once, then a cache hit
 * }</pre>
 */
public final class DataCache {

    /** System property naming the cache folder; it takes precedence over {@link #DIRECTORY_ENV}. */
    public static final String DIRECTORY_PROPERTY = "gptfs.data.dir";
    /** Environment variable naming the cache folder. */
    public static final String DIRECTORY_ENV = "GPTFS_DATA_DIR";
    /** How long a download waits to connect: long enough for a slow network, short enough when offline. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(DataCache.class);
    // Bounds the wait for the response headers; the data files are small (at most a few megabytes).
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

    private final Path directory;
    private final Duration connectTimeout;

    /** A cache in {@code directory} (created when the first file is downloaded). */
    public DataCache(Path directory) {
        this(directory, DEFAULT_CONNECT_TIMEOUT);
    }

    /** A cache in {@code directory} whose downloads give up connecting after {@code connectTimeout}. */
    public DataCache(Path directory, Duration connectTimeout) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("DataCache: connect timeout must be positive, got " + connectTimeout);
        }
    }

    /** The cache in the folder chosen by {@value #DIRECTORY_PROPERTY}, {@value #DIRECTORY_ENV} or the default. */
    public static DataCache standard() {
        return new DataCache(resolveDirectory(System.getProperty(DIRECTORY_PROPERTY), System.getenv(DIRECTORY_ENV),
                System.getProperty("user.home")));
    }

    /** The cache folder from the property value, else the environment value, else under the home folder. */
    static Path resolveDirectory(String propertyValue, String envValue, String userHome) {
        if (propertyValue != null && !propertyValue.isBlank()) {
            return Path.of(propertyValue);
        }
        if (envValue != null && !envValue.isBlank()) {
            return Path.of(envValue);
        }
        return Path.of(userHome, ".cache", "gpt-from-scratch");
    }

    /** The cache folder. */
    public Path directory() {
        return directory;
    }

    /** Where {@code file} lives in this cache, whether or not it is there yet. */
    public Path pathOf(RemoteFile file) {
        return directory.resolve(file.fileName());
    }

    /**
     * The local path of {@code file}, downloading and verifying it first if the cache does not hold it.
     *
     * <p>A file already in the cache is used as it is; if its SHA-256 differs from the expected one (a
     * file put there by hand) a warning is logged, since results will then not match published numbers.
     *
     * @throws DatasetUnavailableException if the file is not cached and cannot be downloaded, or the
     *     download does not have the expected SHA-256
     */
    public Path fetch(RemoteFile file) {
        Path target = pathOf(file);
        if (Files.isRegularFile(target)) {
            warnIfModified(file, target);
            return target;
        }
        download(file, target);
        return target;
    }

    private void warnIfModified(RemoteFile file, Path target) {
        try {
            String actual = sha256(target);
            if (!actual.equals(file.sha256())) {
                LOG.warn("{} has sha256 {} but the file from {} has {}; using it anyway", target, actual, file.url(),
                        file.sha256());
            }
        } catch (IOException e) {
            throw unavailable(file, target, "it is in the cache but cannot be read (" + e + ")", e);
        }
    }

    private void download(RemoteFile file, Path target) {
        LOG.info("downloading {} from {} to {}", file.fileName(), file.url(), target);
        Path temp = null;
        try {
            Files.createDirectories(directory);
            temp = Files.createTempFile(directory, file.fileName() + ".", ".part");
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            HttpRequest request = HttpRequest.newBuilder(file.url()).timeout(RESPONSE_TIMEOUT).GET().build();
            HttpResponse<Path> response = client.send(request, HttpResponse.BodyHandlers.ofFile(temp));
            if (response.statusCode() != 200) {
                throw unavailable(file, target, "the server answered HTTP " + response.statusCode(), null);
            }
            String actual = sha256(temp);
            if (!actual.equals(file.sha256())) {
                throw unavailable(file, target, "the downloaded file has sha256 " + actual + " but "
                        + file.sha256() + " was expected (a changed or truncated file)", null);
            }
            moveIntoPlace(temp, target);
            temp = null;
            LOG.info("saved {} ({} bytes, sha256 verified)", target, Files.size(target));
        } catch (IOException e) {
            throw unavailable(file, target, explain(e, file.url()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(file, target, "the download was interrupted", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.warn("could not delete the partial download {}: {}", temp, e.toString());
                }
            }
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static DatasetUnavailableException unavailable(RemoteFile file, Path target, String reason, Throwable cause) {
        String name = file.fileName();
        return new DatasetUnavailableException("cannot get " + name + " from " + file.url() + ": " + reason + ".\n"
                + "It is expected at " + target.toAbsolutePath() + ". To fix this, do one of:\n"
                + "  - download " + file.url() + " on a connected machine and copy it to that path"
                + " (sha256 " + file.sha256() + ");\n"
                + "  - set the environment variable " + DIRECTORY_ENV + " (or -D" + DIRECTORY_PROPERTY
                + "=DIR) to a folder that holds " + name + ";\n"
                + "  - pass --data FILE to read the data from a file of your choice.", cause);
    }

    /**
     * Why a download failed, in words: the HTTP client reports an offline machine or a refused connection
     * with exceptions that carry no message, so the exception types are translated here.
     */
    private String explain(IOException e, URI url) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        // the most specific reason first: an outer ConnectException often wraps an unresolved host
        if (chain.stream().anyMatch(t -> t instanceof UnresolvedAddressException || t instanceof UnknownHostException)) {
            return "the host " + url.getHost() + " cannot be resolved (is this machine offline?)";
        }
        if (chain.stream().anyMatch(t -> t instanceof HttpConnectTimeoutException)) {
            return "no connection to " + url.getHost() + " within " + connectTimeout.toSeconds() + " s";
        }
        if (chain.stream().anyMatch(t -> t instanceof ConnectException)) {
            return "cannot connect to " + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                    + " (refused, or no network)";
        }
        String detail = e.getClass().getSimpleName();
        for (Throwable t : chain) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                detail = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return "the download failed (" + detail + ")";
    }

    /** The SHA-256 of a file's bytes as 64 lowercase hex digits. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
