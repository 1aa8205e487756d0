package io.github.depthsweep.core.model;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds saved models on disk. Users name either one model's folder or a run folder ({@code
 * RUN/models/<name>-seed<k>/...}, as {@code experiments} writes it), and mean "the best model in
 * it" by the latter.
 *
 * <pre>{@code
 * Path folder = ModelFolders.resolve(Path.of("runs/quick")); // the best model of the run
 * }</pre>
 */
public final class ModelFolders {

    /** The folder of a run that holds its model folders. */
    public static final String MODELS = "models";

    private ModelFolders() {}

    /**
     * Returns whether a folder is one model's folder: it has {@value SavedModel#INFO_FILE}.
     *
     * @param folder a folder
     * @return {@code true} for a model folder
     */
    public static boolean isModelFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(SavedModel.INFO_FILE));
    }

    /**
     * Resolves what a user named to one model folder: a model folder is itself; a run folder, or a
     * folder that directly holds model folders, gives its {@link #best} model.
     *
     * @param folder a model folder, a run folder, or a folder of model folders
     * @return a model folder
     * @throws IOException if the folder does not exist or holds no model; the message says which
     */
    public static Path resolve(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new FileNotFoundException("Model folder " + folder + " does not exist.");
        }
        return isModelFolder(folder) ? folder : best(folder);
    }

    /**
     * Lists the model folders of a run folder ({@code RUN/models/*}), or, if it has no {@value
     * #MODELS} folder, the model folders directly inside it; sorted by name.
     *
     * @param folder a run folder or a folder of model folders
     * @return the model folders, possibly none
     * @throws IOException if the folder cannot be listed
     */
    public static List<Path> list(Path folder) throws IOException {
        Path models = folder.resolve(MODELS);
        Path parent = Files.isDirectory(models) ? models : folder;
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory)
                    .filter(ModelFolders::isModelFolder)
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /**
     * Returns the best model of a run: the model folder whose info has the highest test accuracy;
     * ties go to the first by name. A lone model is the best even without an accuracy. Folders
     * whose info cannot be read are passed over.
     *
     * @param folder a run folder or a folder of model folders
     * @return the best model's folder
     * @throws IOException if there is no model, or several and none with a test accuracy
     */
    public static Path best(Path folder) throws IOException {
        List<Path> candidates = list(folder);
        if (candidates.isEmpty()) {
            throw new FileNotFoundException(
                    folder
                            + " is neither a model folder (no "
                            + SavedModel.INFO_FILE
                            + ") nor a run folder with model folders in it or in its "
                            + MODELS
                            + "/ folder.");
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        List<Scored> scored = new ArrayList<>();
        for (Path candidate : candidates) {
            try {
                Double accuracy = SavedModel.readInfo(candidate).testAccuracy();
                if (accuracy != null) {
                    scored.add(new Scored(candidate, accuracy));
                }
            } catch (IOException e) {
                // A broken neighbour must not hide the good models; load() reports it if named.
            }
        }
        return scored.stream()
                .max(
                        Comparator.comparingDouble(Scored::accuracy)
                                .thenComparing(Scored::folder, Comparator.reverseOrder()))
                .map(Scored::folder)
                .orElseThrow(
                        () ->
                                new IOException(
                                        folder
                                                + " holds "
                                                + candidates.size()
                                                + " models but none has a recorded test"
                                                + " accuracy to pick the best by; name one model"
                                                + " folder."));
    }

    private record Scored(Path folder, double accuracy) {}
}
