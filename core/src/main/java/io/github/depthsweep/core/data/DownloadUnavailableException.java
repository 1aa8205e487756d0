package io.github.depthsweep.core.data;

import java.io.IOException;

/**
 * A dataset that only a download could provide, on a machine that cannot download: the environment
 * at fault, not the input (the command lines exit 74), and the message says which files to pass
 * instead.
 */
public class DownloadUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line: what could not be downloaded and what to pass instead
     */
    public DownloadUnavailableException(String message) {
        super(message);
    }
}
