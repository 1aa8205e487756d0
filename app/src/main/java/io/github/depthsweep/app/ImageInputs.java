package io.github.depthsweep.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Expands the files and folders named on the command line into the files to classify. A folder
 * gives all its visible entries except subfolders, sorted by name, whatever their extension: a file
 * that is not an image, and a pipe, device or socket, is reported when read, not skipped silently.
 * Only the names are listed here; nothing is opened.
 */
final class ImageInputs {

    private ImageInputs() {}

    /**
     * One file to classify, or a named path that gave none, with the reason.
     *
     * @param file the file or the named path
     * @param problem why it cannot be classified, or {@code null}
     */
    record Input(Path file, String problem) {}

    /**
     * Expands the named paths, in the order given.
     *
     * @param paths files and folders
     * @return the files, and a problem for each named path that does not exist or is an empty
     *     folder
     */
    static List<Input> expand(List<Path> paths) {
        List<Input> inputs = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.isDirectory(path)) {
                // Missing, special and unreadable files are reported when read, with the image
                // errors.
                inputs.add(new Input(path, null));
                continue;
            }
            List<Path> files;
            try (Stream<Path> children = Files.list(path)) {
                files =
                        children.filter(file -> !Files.isDirectory(file))
                                .filter(file -> !file.getFileName().toString().startsWith("."))
                                .sorted()
                                .collect(Collectors.toList());
            } catch (IOException e) {
                inputs.add(new Input(path, "cannot list folder " + path + ": " + e.getMessage()));
                continue;
            }
            if (files.isEmpty()) {
                inputs.add(new Input(path, "folder " + path + " has no files to classify."));
            }
            for (Path file : files) {
                inputs.add(new Input(file, null));
            }
        }
        return inputs;
    }
}
