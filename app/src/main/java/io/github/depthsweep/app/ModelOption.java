package io.github.depthsweep.app;

import io.github.depthsweep.core.model.ModelFolders;
import io.github.depthsweep.core.model.ModelInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code --model} option every command takes: a model folder or a run folder; without it, the
 * {@link BundledModel}.
 */
final class ModelOption {

    @Option(
            names = {"-m", "--model"},
            paramLabel = "DIR",
            description =
                    "A model folder (with depthsweep-model.json), or a run folder: then its"
                            + " model with the highest test accuracy. Default: the bundled model,"
                            + " residual-12 from depthsweep's model zoo: the best residual net of"
                            + " the paper run.")
    private Path folder;

    /**
     * Returns the model folder the user means.
     *
     * @return a model folder
     * @throws IOException if there is no such folder or no model in it
     */
    Path resolve() throws IOException {
        return folder == null ? BundledModel.folder() : ModelFolders.resolve(folder);
    }

    /**
     * Describes a model for the first line of a command's output.
     *
     * @param info the model's info
     * @param folder its folder
     * @return e.g. {@code model plain-12 from runs/quick/models/plain-12-seed0 (test accuracy
     *     88.09%)}, or {@code model residual-12 (bundled, 25 epochs; test accuracy 89.79%)}
     */
    static String describe(ModelInfo info, Path folder) {
        String accuracy =
                info.testAccuracy() == null
                        ? "no recorded test accuracy"
                        : String.format(
                                Locale.ROOT, "test accuracy %.2f%%", 100 * info.testAccuracy());
        if (BundledModel.isBundled(folder)) {
            return "model "
                    + info.name()
                    + " (bundled, "
                    + info.epochs()
                    + " epochs; "
                    + accuracy
                    + ")";
        }
        return "model " + info.name() + " from " + folder + " (" + accuracy + ")";
    }
}
