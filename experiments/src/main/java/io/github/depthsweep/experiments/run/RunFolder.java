package io.github.depthsweep.experiments.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.depthsweep.core.io.AtomicFiles;
import io.github.depthsweep.core.model.ModelFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A sweep's output folder: {@code protocol.json}, {@code cells/ID.json} per finished cell, {@code
 * models/ID/} per saved model, and the tables and plots. Every file is written atomically (a
 * temporary file, then a rename: {@link AtomicFiles}), so a killed run never leaves half a file; a
 * cell's JSON is written last, after its model, and marks it done.
 */
public final class RunFolder {

    /** Reads and writes every JSON file of a run: indented, and tolerant of newer fields. */
    public static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The settings every cell of a run folder shares; its presence marks a run folder. */
    public static final String PROTOCOL_FILE = "protocol.json";

    /** What a sweep puts in a run folder, besides {@value #PROTOCOL_FILE} and its reports. */
    private static final Set<String> OWN_ENTRIES =
            Set.of("cells", "claims", "checkpoints", "models", "sweep.log");

    /** The prefix of the file {@link #create} writes to see that the folder is writable. */
    private static final String WRITE_TEST = ".write-test";

    private final Path root;

    private RunFolder(Path root) {
        this.root = root;
    }

    /**
     * Opens a run folder to write a sweep into: a new folder, an empty one, or one a sweep wrote
     * before (to resume it).
     *
     * @param root the folder, created if needed
     * @return the run folder
     * @throws IOException if it cannot be used; the message, one line, says why and what to do
     */
    public static RunFolder create(Path root) throws IOException {
        String refusal = "--out " + root + " cannot be used: ";
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IOException(refusal + "it is a file. Give a folder (new or empty).");
        }
        for (Path parent = root.toAbsolutePath().getParent();
                parent != null;
                parent = parent.getParent()) {
            if (Files.exists(parent) && !Files.isDirectory(parent)) {
                throw new IOException(
                        refusal + parent + " is a file, not a folder. Give another path.");
            }
        }
        if (Files.isDirectory(root) && !Files.exists(root.resolve(PROTOCOL_FILE))) {
            try (Stream<Path> entries = Files.list(root)) {
                List<String> names =
                        entries.map(p -> p.getFileName().toString())
                                .filter(n -> !isSweepsOwn(root, n))
                                .limit(3)
                                .toList();
                if (!names.isEmpty()) {
                    throw new IOException(
                            refusal
                                    + "it holds other files ("
                                    + String.join(", ", names)
                                    + ") and no "
                                    + PROTOCOL_FILE
                                    + ", so it is not a depthsweep run folder. Give a new or empty"
                                    + " folder, or the run folder of the sweep to resume.");
                }
            }
        }
        try {
            Files.createDirectories(root.resolve("cells"));
        } catch (IOException e) {
            throw new IOException(
                    refusal
                            + "it cannot be created ("
                            + e.getClass().getSimpleName()
                            + "). Give a folder you can write to.");
        }
        try {
            Files.delete(Files.createTempFile(root, WRITE_TEST, null));
        } catch (IOException e) {
            throw new IOException(refusal + "it is not writable. Give a folder you can write to.");
        }
        return new RunFolder(root);
    }

    /**
     * Tells whether a name in a folder without {@value #PROTOCOL_FILE} is a sweep's: its entries,
     * or the files another worker, started on the same new folder a moment earlier, is writing.
     */
    private static boolean isSweepsOwn(Path root, String name) {
        return OWN_ENTRIES.contains(name)
                || name.startsWith(WRITE_TEST)
                || AtomicFiles.isTemporary(name, root.resolve(PROTOCOL_FILE));
    }

    /**
     * Opens a run folder that a sweep wrote, to read its results.
     *
     * @param root the folder
     * @return the run folder
     * @throws IOException if it is not a depthsweep run folder
     */
    public static RunFolder existing(Path root) throws IOException {
        if (!Files.isDirectory(root.resolve("cells"))) {
            throw new IOException(root + " is not a depthsweep run folder: it has no cells/.");
        }
        return new RunFolder(root);
    }

    /**
     * Returns the folder.
     *
     * @return the root path
     */
    public Path root() {
        return root;
    }

    /**
     * Records the sweep's protocol, or checks it against the one already recorded: a folder holds
     * the cells of one protocol only.
     *
     * @param protocol the protocol of this run
     * @throws IOException if the folder holds another protocol's cells; the message says how
     */
    public void claim(Protocol protocol) throws IOException {
        Path file = root.resolve(PROTOCOL_FILE);
        if (Files.exists(file)) {
            Protocol existing = JSON.readValue(file.toFile(), Protocol.class);
            if (!existing.equals(protocol)) {
                throw new IOException(
                        root
                                + " holds a sweep with other settings ("
                                + existing.describe()
                                + "); use"
                                + " another --out, or the same settings to resume it.");
            }
        } else {
            AtomicFiles.write(file, JSON.writeValueAsBytes(protocol));
        }
    }

    /**
     * Returns a cell's recorded result, if it has one.
     *
     * @param cell the cell
     * @return its result, or empty if the cell has not ended yet
     * @throws IOException if the result exists but cannot be read
     */
    public Optional<CellResult> result(Cell cell) throws IOException {
        Path file = cellFile(cell.id());
        return Files.exists(file)
                ? Optional.of(JSON.readValue(file.toFile(), CellResult.class))
                : Optional.empty();
    }

    /**
     * Records a cell's result, atomically.
     *
     * @param result the result
     * @throws IOException if it cannot be written
     */
    public void save(CellResult result) throws IOException {
        AtomicFiles.write(cellFile(result.id()), JSON.writeValueAsBytes(result));
    }

    /**
     * Returns every recorded result in this folder, ordered by id.
     *
     * @return the results
     * @throws IOException if a result cannot be read
     */
    public List<CellResult> results() throws IOException {
        List<CellResult> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("cells"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                results.add(JSON.readValue(file.toFile(), CellResult.class));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return results;
    }

    /**
     * Returns where a cell's model is saved.
     *
     * @param cell the cell
     * @return {@code models/ID}
     */
    public Path modelFolder(Cell cell) {
        return root.resolve(ModelFolders.MODELS).resolve(cell.id());
    }

    private Path cellFile(String id) {
        return root.resolve("cells").resolve(id + ".json");
    }
}
