package io.github.depthsweep.experiments.tensorboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One TensorBoard run's folder, as depthsweep keeps it: the event files it wrote end in {@link
 * #SUFFIX} and may be replaced; another writer's are neither mixed into its run nor deleted.
 */
final class EventFolder {

    /** Ends the name of every event file depthsweep writes: files it may replace. */
    static final String SUFFIX = ".depthsweep";

    private EventFolder() {}

    /**
     * Returns the event files depthsweep wrote in a folder.
     *
     * @param folder the run's folder; it may not exist yet
     * @return the files
     * @throws IOException if it cannot be listed, or it holds an event file of another writer:
     *     mixing them would show that writer's points as this run's
     */
    static List<Path> ownFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> own = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.contains("tfevents")) {
                    continue;
                }
                if (!name.endsWith(SUFFIX)) {
                    throw new IOException(
                            folder
                                    + " holds an event file depthsweep did not write ("
                                    + name
                                    + "); move it away, so that its points are not shown as this"
                                    + " run's");
                }
                own.add(file);
            }
        }
        return own;
    }

    /**
     * Deletes files, each failure told.
     *
     * @param files the files
     * @param onError told of each file that could not be deleted
     */
    static void delete(List<Path> files, Consumer<IOException> onError) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                onError.accept(e);
            }
        }
    }
}
