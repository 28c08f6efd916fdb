package io.github.gptfromscratch.tensor.io;

import java.io.IOException;

/**
 * A safetensors file that is malformed, or that does not hold what was asked of it. The message starts
 * with the file (or source) name, then says what is wrong:
 * {@code model.safetensors: tensor "W1": data_offsets [0,96] span 96 bytes but F32 [30,200] needs 24000}.
 */
public final class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file (or other source) that was being read. */
    private final String source;
    /** What is wrong with it. */
    private final String problem;

    /**
     * @param source  the file or source name, as the reader was given it
     * @param problem what is wrong, without the source name
     */
    public SafeTensorsException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** The file or source name. */
    public String source() {
        return source;
    }

    /** What is wrong, without the source name. */
    public String problem() {
        return problem;
    }
}
