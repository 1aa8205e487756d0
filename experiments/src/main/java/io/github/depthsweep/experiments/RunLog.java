package io.github.depthsweep.experiments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where output goes while a command runs. The console gets the command's own lines; DJL's log lines
 * (which slf4j-simple writes to {@code System.err}) reach it only with {@code --verbose}. Once a
 * sweep knows its run folder, everything, its lines and DJL's, is also appended to {@code
 * sweep.log} there, beginning with what was said before the folder was known.
 */
final class RunLog implements AutoCloseable {

    /** What is kept of the lines said before the log file is open. */
    private static final int EARLY_LIMIT = 1 << 20;

    private final PrintStream console;
    private final boolean verbose;
    private final ByteArrayOutputStream early = new ByteArrayOutputStream();
    private OutputStream file;

    private RunLog(PrintStream console, boolean verbose) {
        this.console = console;
        this.verbose = verbose;
    }

    /**
     * Starts capturing {@code System.err}, where DJL logs; {@link #close()} puts it back.
     *
     * @param verbose whether DJL's lines also go to the console
     * @return the log
     */
    static RunLog install(boolean verbose) {
        RunLog log = new RunLog(System.err, verbose);
        System.setErr(new PrintStream(log.library(), true, StandardCharsets.UTF_8));
        return log;
    }

    /**
     * Returns the console as it was before DJL's lines were captured.
     *
     * @return the console's error stream
     */
    PrintStream console() {
        return console;
    }

    /**
     * Returns a writer to the console that also writes to the log file.
     *
     * @param out the console
     * @return the writer; flushes at every line
     */
    PrintWriter tee(PrintWriter out) {
        Writer both =
                new Writer() {
                    @Override
                    public void write(char[] chars, int offset, int length) {
                        out.write(chars, offset, length);
                        record(new String(chars, offset, length).getBytes(StandardCharsets.UTF_8));
                    }

                    @Override
                    public void flush() {
                        out.flush();
                        flushFile();
                    }

                    @Override
                    public void close() {
                        flush();
                    }
                };
        return new PrintWriter(both, true);
    }

    /**
     * Opens the log file, appending, and writes what was said so far into it.
     *
     * @param path the file, e.g. {@code RUN/sweep.log}
     * @throws IOException if it cannot be opened
     */
    synchronized void open(Path path) throws IOException {
        file = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        early.writeTo(file);
        early.reset();
        file.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        System.setErr(console);
        if (file != null) {
            file.close();
            file = null;
        }
    }

    private OutputStream library() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (verbose) {
                    console.write(bytes, offset, length);
                }
                byte[] copy = new byte[length];
                System.arraycopy(bytes, offset, copy, 0, length);
                record(copy);
            }

            @Override
            public void flush() {
                console.flush();
                flushFile();
            }
        };
    }

    private synchronized void record(byte[] bytes) {
        try {
            if (file != null) {
                file.write(bytes);
            } else if (early.size() + bytes.length <= EARLY_LIMIT) {
                early.write(bytes);
            }
        } catch (IOException e) {
            file = null; // a log that cannot be written must not stop the sweep
            console.println("warning: cannot write sweep.log: " + e.getMessage());
        }
    }

    private synchronized void flushFile() {
        try {
            if (file != null) {
                file.flush();
            }
        } catch (IOException e) {
            file = null;
        }
    }
}
