package io.github.depthsweep.app;

import io.github.depthsweep.core.model.SavedModel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The trained model that ships inside the app: the best residual model of the {@code paper} run
 * ({@code docs/results/paper/RUN.md} says which and why), used when no {@code --model} is given.
 * DJL loads models from a folder, so its two files are copied out of the jar into a temporary
 * folder, once per process, and deleted when the process ends.
 */
final class BundledModel {

    /** Where the model's files are on the class path. */
    static final String RESOURCE_FOLDER = "/io/github/depthsweep/app/model/";

    private static Path folder;

    private BundledModel() {}

    /**
     * Returns a folder holding the bundled model, copying it out of the jar on first use.
     *
     * @return the model folder
     * @throws IOException if the jar has no bundled model or it cannot be copied
     */
    static synchronized Path folder() throws IOException {
        if (folder == null) {
            folder = extract();
        }
        return folder;
    }

    /**
     * Returns whether a folder is the bundled model's copy, so that messages can name it as such.
     *
     * @param candidate a model folder
     * @return {@code true} for the folder {@link #folder()} returned
     */
    static synchronized boolean isBundled(Path candidate) {
        return candidate.equals(folder);
    }

    private static Path extract() throws IOException {
        Path target = Files.createTempDirectory("depthsweep-bundled-model-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(target)));
        copy(SavedModel.INFO_FILE, target);
        // SavedModel.save writes the parameters as DJL's epoch 0 of a model named like the info.
        copy(SavedModel.readInfo(target).name() + "-0000.params", target);
        return target;
    }

    private static void copy(String file, Path target) throws IOException {
        try (InputStream in = open(file)) {
            Files.copy(in, target.resolve(file));
        }
    }

    private static InputStream open(String file) throws IOException {
        InputStream in = BundledModel.class.getResourceAsStream(RESOURCE_FOLDER + file);
        if (in == null) {
            throw new FileNotFoundException(
                    "This build has no bundled model ("
                            + RESOURCE_FOLDER
                            + file
                            + " is missing); name one with --model.");
        }
        return in;
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
