package io.github.gptfromscratch.data;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A data file that can be downloaded: the name it has in the cache folder, where it comes from, and the
 * SHA-256 of its exact bytes.
 *
 * <pre>{@code
 * RemoteFile names = new RemoteFile("names.txt",
 *         URI.create("https://raw.githubusercontent.com/karpathy/makemore/master/names.txt"),
 *         "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d");
 * }</pre>
 *
 * @param fileName the file's name inside the cache folder (no folders)
 * @param url where to download it from
 * @param sha256 the SHA-256 of its contents, 64 lowercase hex digits
 */
public record RemoteFile(String fileName, URI url, String sha256) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Checks that the name is a plain file name and the hash is 64 lowercase hex digits. */
    public RemoteFile {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\") || fileName.equals(".")
                || fileName.equals("..")) {
            throw new IllegalArgumentException("RemoteFile: \"" + fileName + "\" is not a plain file name");
        }
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("RemoteFile " + fileName + ": sha256 must be 64 lowercase hex digits, got \""
                    + sha256 + "\"");
        }
    }
}
