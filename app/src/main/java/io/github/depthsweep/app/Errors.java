package io.github.depthsweep.app;

import ai.djl.ModelException;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** How the command line reports failures: one line each, without stack traces for user errors. */
final class Errors {

    private Errors() {}

    /**
     * Returns whether a failure is the user's to fix (a missing file, a bad model folder, a bad
     * value), as opposed to a bug.
     *
     * @param e the failure
     * @return {@code true} for a user error
     */
    static boolean isUserError(Throwable e) {
        return e instanceof IOException
                || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException
                || e instanceof ModelException
                || e instanceof TranslateException;
    }

    /**
     * Returns a failure's message as one line: the first line of its message, or its type.
     *
     * @param e the failure
     * @return the line
     */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().filter(line -> !line.isBlank()).findFirst().orElse("").trim();
    }
}
