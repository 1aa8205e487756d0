package io.github.depthsweep.cli;

import java.io.IOException;

/**
 * Input the user must fix before a rerun can help: a run folder that is not one, a damaged data or
 * result file, settings that contradict a folder's. Exits with {@link ExitCode#BAD_INPUT}, where
 * other {@link IOException}s (a full disk, a lost network share) exit with {@link
 * ExitCode#ENVIRONMENT}, which schedulers retry.
 */
public class BadInputException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line: what is wrong and what to do
     */
    public BadInputException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message one line: what is wrong and what to do
     * @param cause the failure underneath
     */
    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
