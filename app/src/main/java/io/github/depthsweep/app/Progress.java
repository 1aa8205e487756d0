package io.github.depthsweep.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place, only when stderr is a terminal: piped or
 * redirected output never sees it. Anything else printed to the terminal must {@link #clear()} it
 * first; {@link #advance} draws it again.
 *
 * <pre>
 * [==========&gt;               ]  4,096 / 10,000 images  1,850/s  0:03 left
 * </pre>
 */
final class Progress {

    private static final int BAR = 30;

    private final PrintWriter err;
    private final long total;
    private final String unit;
    private final long start = System.nanoTime();
    private long done;
    private int drawn; // characters on the line now, 0 when clear

    private Progress(PrintWriter err, long total, String unit) {
        this.err = err;
        this.total = total;
        this.unit = unit;
    }

    /**
     * Returns a progress bar that draws on {@code err} if this process's stderr is a terminal, and
     * one that draws nothing otherwise.
     *
     * @param err the writer for stderr
     * @param total the amount of work
     * @param unit what is counted, e.g. {@code images}
     * @return the bar
     */
    static Progress onTerminal(PrintWriter err, long total, String unit) {
        return new Progress(stderrIsTerminal() ? err : null, total, unit);
    }

    /**
     * Returns a progress bar that always draws, for tests.
     *
     * @param err where to draw
     * @param total the amount of work
     * @param unit what is counted
     * @return the bar
     */
    static Progress always(PrintWriter err, long total, String unit) {
        return new Progress(err, total, unit);
    }

    /**
     * Counts work done and redraws the bar.
     *
     * @param amount how much more is done
     */
    void advance(long amount) {
        done += amount;
        if (err == null) {
            return;
        }
        String line = line(done, total, unit, (System.nanoTime() - start) / 1e9);
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        err.flush();
        drawn = line.length();
    }

    /** Erases the bar, so that the next line printed starts at the left edge. */
    void clear() {
        if (err == null || drawn == 0) {
            return;
        }
        err.print("\r" + " ".repeat(drawn) + "\r");
        err.flush();
        drawn = 0;
    }

    /**
     * Renders the bar.
     *
     * @param done the work done
     * @param total the work in all
     * @param unit what is counted
     * @param seconds the time spent so far
     * @return e.g. {@code [====> ] 512 / 1,024 images 256/s 0:02 left}
     */
    static String line(long done, long total, String unit, double seconds) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int full = (int) Math.round(fraction * BAR);
        String bar =
                "=".repeat(Math.max(0, full - 1))
                        + (full == 0 ? "" : full == BAR ? "=" : ">")
                        + " ".repeat(BAR - full);
        StringBuilder line =
                new StringBuilder(
                        String.format(Locale.ROOT, "[%s] %,d / %,d %s", bar, done, total, unit));
        if (seconds > 0 && done > 0) {
            double rate = done / seconds;
            long left = Math.round((total - done) / rate);
            line.append(
                    String.format(
                            Locale.ROOT, "  %,.0f/s  %d:%02d left", rate, left / 60, left % 60));
        }
        return line.toString();
    }

    /**
     * Whether this process's stderr is a terminal: on Linux from what file descriptor 2 points to;
     * elsewhere, whether the JVM has a console at all.
     */
    private static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
