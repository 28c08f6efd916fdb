package io.github.gptfromscratch.data;

import java.net.URI;
import java.nio.file.Path;

/**
 * The data files of the journey, downloaded on first use into the {@link DataCache#standard() standard cache}.
 *
 * <pre>{@code
 * NamesDataset names = NamesDataset.load(Datasets.names());
 * TextDataset shakespeare = TextDataset.load(Datasets.tinyShakespeare());
 * }</pre>
 */
public final class Datasets {

    /** makemore's {@code names.txt}: 32,033 names, one per line. */
    public static final RemoteFile NAMES = new RemoteFile("names.txt",
            URI.create("https://raw.githubusercontent.com/karpathy/makemore/master/names.txt"),
            "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d");

    /** char-rnn's tiny shakespeare {@code input.txt}: 1,115,394 ASCII characters. */
    public static final RemoteFile TINY_SHAKESPEARE = new RemoteFile("tinyshakespeare.txt",
            URI.create("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"),
            "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed");

    private Datasets() {
    }

    /**
     * The local path of {@code names.txt}, downloaded first if needed.
     *
     * @throws DatasetUnavailableException if it is not cached and cannot be downloaded
     */
    public static Path names() {
        return DataCache.standard().fetch(NAMES);
    }

    /**
     * The local path of tiny shakespeare, downloaded first if needed.
     *
     * @throws DatasetUnavailableException if it is not cached and cannot be downloaded
     */
    public static Path tinyShakespeare() {
        return DataCache.standard().fetch(TINY_SHAKESPEARE);
    }
}
