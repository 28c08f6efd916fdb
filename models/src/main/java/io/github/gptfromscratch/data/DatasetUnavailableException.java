package io.github.gptfromscratch.data;

/**
 * A data file is neither in the cache nor downloadable (offline, refused, wrong checksum). The message
 * names the URL, the path where the file is expected and the ways to fix it; a command-line tool can
 * print it as it is, without a stack trace.
 */
public final class DatasetUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with the full, user-facing explanation and the underlying failure, if any. */
    public DatasetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
