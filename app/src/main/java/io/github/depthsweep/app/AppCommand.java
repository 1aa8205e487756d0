package io.github.depthsweep.app;

import ai.djl.ModelException;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.cli.CommandLines;
import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.data.DownloadUnavailableException;
import io.github.depthsweep.core.engine.PyTorchEnvironment;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code depthsweep-app}: the top command, with {@code predict}, {@code evaluate} and {@code bench}
 * under it.
 *
 * <pre>
 * java -jar app/target/depthsweep-app.jar predict --model runs/quick app/samples
 * </pre>
 *
 * <p>Exit codes ({@link ExitCode}): 0 when everything worked; 2 when an argument or input was bad
 * (a message {@code error: ...} on stderr, one line each; the other images are still classified); 1
 * for a bug.
 */
@Command(
        name = "depthsweep-app",
        mixinStandardHelpOptions = true,
        versionProvider = CommandLines.Version.class,
        description = "Classify images with depthsweep's saved models, evaluate and time them.",
        subcommands = {PredictCommand.class, EvaluateCommand.class, BenchCommand.class})
public final class AppCommand implements Runnable {

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
        PyTorchEnvironment.apply(); // before PyTorch's natives load: they read it once
        System.exit(commandLine().execute(args));
    }

    /**
     * Returns the command line, configured as both of depthsweep's are ({@link CommandLines}):
     * case-insensitive values for {@code --invert}, errors as one line on stderr, exit codes as
     * {@link ExitCode} says. The app reads the files it is given, so a model or an image it cannot
     * load, and any file it cannot read, is bad input (exit 2); a dataset only a download could
     * provide, offline, is the environment (74).
     *
     * @return a new command line; set its out and err writers to capture output
     */
    public static CommandLine commandLine() {
        return CommandLines.configure(
                new CommandLine(new AppCommand()),
                e ->
                        (e instanceof IOException && !(e instanceof DownloadUnavailableException))
                                || e instanceof ModelException
                                || e instanceof TranslateException);
    }

    /** Without a subcommand: shows the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
