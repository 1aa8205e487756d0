package io.github.depthsweep.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.ParameterException;

/**
 * The exit codes of both command lines: what a scheduler (Slurm, Kubernetes, a shell loop) needs to
 * decide whether running the same command again can help. The codes follow sysexits.h where it has
 * one for the case. {@code deploy/} acts on them.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th><th>retry?</th></tr>
 *   <tr><td>0</td><td>done</td><td>nothing left to do</td></tr>
 *   <tr><td>1</td><td>an internal error: a bug (the stack trace is in the log)</td><td>no</td></tr>
 *   <tr><td>2</td><td>bad arguments or input, said in one line</td><td>no: fix it first</td></tr>
 *   <tr><td>74</td><td>the environment failed: disk full, an I/O error, a lost claim</td>
 *       <td>yes: may succeed, and resumes from the last checkpoint</td></tr>
 *   <tr><td>75</td><td>stopped by a signal, its checkpoint saved</td><td>yes: resumes</td></tr>
 * </table>
 */
public final class ExitCode {

    /** Done. */
    public static final int OK = 0;

    /** An internal error, a bug: running it again will fail again. */
    public static final int BUG = 1;

    /** Bad arguments or input (picocli's own code for a bad command line): fix it, then rerun. */
    public static final int BAD_INPUT = 2;

    /** sysexits' {@code EX_IOERR}: the environment failed; a retry may succeed and resumes. */
    public static final int ENVIRONMENT = 74;

    /** sysexits' {@code EX_TEMPFAIL}: stopped by a signal with its state saved; a retry resumes. */
    public static final int STOPPED = 75;

    private ExitCode() {}

    /**
     * Returns the exit code for a failure.
     *
     * @param e what ended the command
     * @return {@link #BAD_INPUT} for bad arguments or input ({@link BadInputException}, {@link
     *     IllegalArgumentException}, a picocli {@link ParameterException}), {@link #ENVIRONMENT}
     *     for any other I/O failure, else {@link #BUG}
     */
    public static int of(Throwable e) {
        if (e instanceof BadInputException
                || e instanceof IllegalArgumentException
                || e instanceof ParameterException) {
            return BAD_INPUT;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return ENVIRONMENT;
        }
        return BUG;
    }
}
