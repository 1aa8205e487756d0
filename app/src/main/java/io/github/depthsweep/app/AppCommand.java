package io.github.depthsweep.app;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code depthsweep-app}: the top command, with {@code predict}, {@code evaluate} and {@code bench}
 * under it.
 *
 * <pre>
 * java -jar app/target/depthsweep-app.jar predict --model runs/quick app/samples
 * </pre>
 *
 * <p>Exit codes: 0 when everything worked, 1 when something failed (a message {@code error: ...} on
 * stderr, one line each), 2 for a command line picocli cannot parse.
 */
@Command(
        name = "depthsweep-app",
        mixinStandardHelpOptions = true,
        versionProvider = AppCommand.Version.class,
        description = "Classify images with depthsweep's saved models, evaluate and time them.",
        subcommands = {PredictCommand.class, EvaluateCommand.class, BenchCommand.class})
public final class AppCommand implements Runnable {

    /** Exit code when a command fails. */
    public static final int FAILED = 1;

    @Spec private CommandSpec spec;

    /** Creates the command; picocli calls this. */
    public AppCommand() {}

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        // Charts are drawn off screen; no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /**
     * Returns the command line, configured: case-insensitive values for {@code --invert}, and
     * errors as one line on stderr.
     *
     * @return a new command line; set its out and err writers to capture output
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new AppCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(
                (e, cl, parseResult) -> {
                    if (!Errors.isUserError(e)) {
                        // A bug, not the user's doing: the stack trace helps whoever fixes it.
                        e.printStackTrace(cl.getErr());
                    }
                    cl.getErr().println("error: " + Errors.oneLine(e));
                    return FAILED;
                });
        commandLine.setParameterExceptionHandler(AppCommand::badCommandLine);
        return commandLine;
    }

    /** Without a subcommand: shows the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int badCommandLine(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(
                "error: "
                        + Errors.oneLine(e)
                        + " (see '"
                        + command.getCommandSpec().qualifiedName()
                        + " --help')");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The version from the jar's manifest, or {@code dev} when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AppCommand.class.getPackage().getImplementationVersion();
            return new String[] {"depthsweep-app " + (version == null ? "dev" : version)};
        }
    }
}
