package io.github.depthsweep.core.training;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that must not be restored: truncated, damaged, of another format or of another
 * network. The message names the file and the fault in one sentence.
 */
public final class InvalidCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates the exception.
     *
     * @param file the checkpoint file
     * @param fault what is wrong with it, e.g. {@code it is truncated}
     */
    public InvalidCheckpointException(Path file, String fault) {
        super("Checkpoint " + file + " cannot be used: " + fault + ".");
        this.file = file;
    }

    /**
     * Returns the checkpoint file.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }
}
