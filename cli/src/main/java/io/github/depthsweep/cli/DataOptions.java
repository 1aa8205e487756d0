package io.github.depthsweep.cli;

import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --dataset NAME} and {@code --data DIR}, as both command lines take them ({@code @Mixin}).
 * The names live in core's dataset registry, which this module does not see: a command hands its
 * lookup to {@link #dataset(Function, Object)}, which turns a refusal into the one-line usage
 * error.
 */
public final class DataOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            description =
                    "fashion-mnist, mnist or kmnist (any MNIST-format folder: see the README)."
                            + " Default: fashion-mnist, or the model's own for evaluate.")
    private String name;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description =
                    "Folder with the dataset's four IDX files, gzipped or not. Default for"
                            + " fashion-mnist: $FASHION_MNIST_DIR,"
                            + " /usr/share/datasets/fashion-mnist, then DJL's download; for"
                            + " mnist: DJL's download (needs the internet).")
    private Path folder;

    /** Creates the options; picocli fills them. */
    public DataOptions() {}

    /**
     * Returns the dataset the user named, looked up in the registry.
     *
     * @param <T> the registry's dataset type
     * @param registry the lookup by name; throws {@link IllegalArgumentException} with one line for
     *     an unknown name
     * @param absent the dataset when {@code --dataset} was not given
     * @return the dataset
     * @throws ParameterException for an unknown name: the registry's line, exit code 2
     */
    public <T> T dataset(Function<String, T> registry, T absent) {
        if (name == null) {
            return absent;
        }
        try {
            return registry.apply(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "--dataset: " + CommandLines.oneLine(e), e, null, name);
        }
    }

    /**
     * Returns whether {@code --dataset} was given.
     *
     * @return true if it was
     */
    public boolean named() {
        return name != null;
    }

    /**
     * Returns the folder {@code --data} named.
     *
     * @return the folder, or null to search the dataset's default places
     */
    public Path folder() {
        return folder;
    }
}
