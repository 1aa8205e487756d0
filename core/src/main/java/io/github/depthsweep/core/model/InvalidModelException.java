package io.github.depthsweep.core.model;

import java.io.IOException;

/**
 * A model folder that cannot be loaded as it is: its info breaks a rule, or its parameters file is
 * another net's, damaged or truncated. The message is one line that says what is wrong and what to
 * do; copying the folder again, or saving the model again, fixes it, where retrying does not.
 */
public class InvalidModelException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line: what is wrong and what to do
     */
    public InvalidModelException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message one line: what is wrong and what to do
     * @param cause the failure underneath
     */
    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
