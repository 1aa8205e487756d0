package io.github.depthsweep.experiments.sweep;

import io.github.depthsweep.cli.ExitCode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM (Slurm's time limit with {@code --signal}, Kubernetes'
 * eviction, {@code kill}) into a request to stop: the sweep finishes its step, writes a checkpoint
 * and exits with {@link #EXIT_CODE}. A second signal stops at once; the last checkpoint still
 * holds, since every checkpoint is written atomically.
 *
 * <p>This replaces the JVM's own handlers (which would start shutting down at once) while it is
 * open, and puts them back on {@link #close()}.
 */
public final class StopSignal implements AutoCloseable {

    /**
     * The exit code of a sweep stopped by a signal after saving its state: {@link
     * ExitCode#STOPPED}. Rerunning the same command resumes.
     */
    public static final int EXIT_CODE = ExitCode.STOPPED;

    private final Map<Signal, SignalHandler> replaced = new LinkedHashMap<>();
    private final PrintWriter console;
    private volatile String received;

    private StopSignal(PrintWriter console) {
        this.console = console;
    }

    /**
     * Starts listening for SIGINT and SIGTERM.
     *
     * @param console where to confirm that a signal arrived
     * @return the listener; close it to restore the JVM's handlers
     */
    public static StopSignal install(PrintWriter console) {
        StopSignal stop = new StopSignal(console);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                stop.replaced.put(signal, Signal.handle(signal, stop::handle));
            } catch (IllegalArgumentException e) {
                // a platform without this signal, or one the JVM reserves: keep its default
            }
        }
        return stop;
    }

    private synchronized void handle(Signal signal) {
        if (received != null) {
            Runtime.getRuntime().halt(128 + signal.getNumber()); // the second one: at once
        }
        received = "SIG" + signal.getName();
        console.printf(
                "%n%s: stopping after this step to save a checkpoint (again to stop at once)%n",
                received);
    }

    /**
     * Returns whether a stop has been asked for.
     *
     * @return true after the first SIGINT or SIGTERM
     */
    boolean requested() {
        return received != null;
    }

    /**
     * Ends the sweep here if a stop has been asked for; call where all work so far is saved.
     *
     * @param saved what is saved, for the message: e.g. {@code plain-50-seed0 at step 1234}
     * @throws Stopped if a stop has been asked for
     */
    public void stopIfRequested(String saved) throws Stopped {
        if (received != null) {
            throw new Stopped(received + ": stopped with " + saved + " saved");
        }
    }

    @Override
    public void close() {
        replaced.forEach(Signal::handle);
    }

    /** The sweep stopped on a signal, its work saved. */
    public static final class Stopped extends Exception {

        private static final long serialVersionUID = 1L;

        Stopped(String message) {
            super(message);
        }
    }
}
