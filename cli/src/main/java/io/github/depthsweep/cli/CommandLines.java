package io.github.depthsweep.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Sets up a picocli command line the way both of depthsweep's are: every error is one line, {@code
 * error: ...}, ending in {@code (see 'COMMAND --help')} where the command line was at fault, never
 * the whole usage; exit codes follow {@link ExitCode}; {@code -V} prints the version.
 */
public final class CommandLines {

    private CommandLines() {}

    /**
     * Installs the error handlers.
     *
     * @param commandLine the command line
     * @param alsoBadInput failures of the command's own kinds that are bad input too (a model that
     *     cannot be loaded, say), beside those {@link ExitCode#of} knows
     * @return the same command line
     */
    public static CommandLine configure(
            CommandLine commandLine, Predicate<Throwable> alsoBadInput) {
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(CommandLines::badCommandLine);
        commandLine.setExecutionExceptionHandler(
                (e, failed, parseResult) -> report(e, failed, alsoBadInput));
        return commandLine;
    }

    /**
     * Reports a failure of a running command in one line (a bug gets its stack trace first) and
     * returns its exit code.
     *
     * @param e the failure
     * @param command the command that failed
     * @param alsoBadInput as in {@link #configure}
     * @return the exit code
     */
    public static int report(Throwable e, CommandLine command, Predicate<Throwable> alsoBadInput) {
        Throwable failure = e instanceof UncheckedIOException ? e.getCause() : e;
        int code = alsoBadInput.test(failure) ? ExitCode.BAD_INPUT : ExitCode.of(failure);
        PrintWriter err = command.getErr();
        if (code == ExitCode.BUG) {
            failure.printStackTrace(err);
            err.println(
                    "error: an internal error ("
                            + failure.getClass().getSimpleName()
                            + (failure.getMessage() == null ? "" : ": " + oneLine(failure))
                            + "): a bug in depthsweep; please report it with the trace above");
        } else if (failure instanceof IllegalArgumentException) {
            err.println("error: " + oneLine(failure) + seeHelp(command));
        } else {
            err.println("error: " + oneLine(failure));
        }
        err.flush();
        return code;
    }

    /**
     * Returns a failure's message as one line: the first line of its message, or its type.
     *
     * @param e the failure
     * @return the line
     */
    public static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().filter(line -> !line.isBlank()).findFirst().orElse("").trim();
    }

    private static int badCommandLine(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String message = oneLine(e);
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        command.getErr().println("error: " + message + seeHelp(command));
        command.getErr().flush();
        return ExitCode.BAD_INPUT;
    }

    private static String seeHelp(CommandLine command) {
        return " (see '" + command.getCommandSpec().qualifiedName() + " --help')";
    }

    /**
     * {@code -V}: the command's name and the version in its jar's manifest ({@code dev} when it
     * runs from classes). Name it in {@code @Command(versionProvider = ...)}.
     */
    public static final class Version implements IVersionProvider {

        @Spec CommandSpec spec;

        /** Creates the provider; picocli calls this. */
        public Version() {}

        @Override
        public String[] getVersion() {
            CommandSpec root = spec.root();
            String version = root.userObject().getClass().getPackage().getImplementationVersion();
            return new String[] {root.name() + " " + (version == null ? "dev" : version)};
        }
    }
}
