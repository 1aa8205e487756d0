package io.github.depthsweep.experiments;

import ai.djl.training.listener.TrainingListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code depthsweep} command line, with what it printed.
 *
 * @param code the exit code
 * @param out standard output
 * @param err standard error
 */
record CliRun(int code, String out, String err) {

    /**
     * Runs {@code depthsweep ARGS} in this JVM.
     *
     * @param args the arguments, e.g. {@code bench --models plain-12}
     * @return the exit code and output
     */
    static CliRun of(String... args) {
        return run(SweepCommand.commandLine(), args);
    }

    /**
     * Runs {@code depthsweep ARGS} in this JVM with a listener on every cell's training, e.g. one
     * that interrupts it ({@link InterruptAt}).
     *
     * @param listener the listener
     * @param args the arguments
     * @return the exit code and output
     */
    static CliRun of(TrainingListener listener, String... args) {
        return run(SweepCommand.commandLine(listener), args);
    }

    private static CliRun run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
