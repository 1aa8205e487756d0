package io.github.depthsweep.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code depthsweep-app} in the test's JVM and captures what it prints. */
final class Cli {

    /**
     * What a run printed and returned.
     *
     * @param exitCode the exit code
     * @param out stdout
     * @param err stderr
     */
    record Result(int exitCode, String out, String err) {}

    private Cli() {}

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @return the result
     */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = AppCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
