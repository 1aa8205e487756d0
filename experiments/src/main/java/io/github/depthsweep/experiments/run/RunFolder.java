package io.github.depthsweep.experiments.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.core.io.AtomicFiles;
import io.github.depthsweep.core.model.ModelFolders;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            Set.of("cells", "claims", "checkpoints", "models", "sweep.log", "tensorboard");

    /** The prefix of the file {@link #create} writes to see that the folder is writable. */
    private static final String WRITE_TEST = ".write-test";

    /** What a set-aside cell record's name ends with; it is no longer read as a record. */
    static final String REJECTED = ".rejected";

    private final Path root;
    private final PrintWriter log;
    private Protocol protocol;

    private RunFolder(Path root, PrintWriter log, Protocol protocol) {
        // Absolute, so that every path made from it relativizes against every other.
        this.root = root.toAbsolutePath().normalize();
        this.log = log;
        this.protocol = protocol;
    }

    /**
     * Checks that a folder can take a sweep, without creating or writing anything: what {@link
     * #create} would refuse, {@code --dry-run} refuses too.
     *
     * @param root the folder
     * @throws BadInputException if it cannot be used; the message, one line, says why and what to
     *     do
     * @throws IOException if the folder cannot be listed
     */
    public static void checkUsable(Path root) throws IOException {
        if (root.toString().isBlank()) {
            throw new BadInputException("--out is empty: give a run folder, e.g. --out runs/mine.");
        }
        String refusal = "--out " + root + " cannot be used: ";
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new BadInputException(refusal + "it is a file. Give a folder (new or empty).");
        }
        Path existing = null;
        for (Path parent = root.toAbsolutePath().getParent();
                parent != null;
                parent = parent.getParent()) {
            if (Files.exists(parent) && !Files.isDirectory(parent)) {
                throw new BadInputException(
                        refusal + parent + " is a file, not a folder. Give another path.");
            }
            if (existing == null && Files.isDirectory(parent)) {
                existing = parent;
            }
        }
        Path nearest = Files.isDirectory(root) ? root : existing;
        if (nearest != null && !Files.isWritable(nearest)) {
            throw new BadInputException(
                    refusal + nearest + " is not writable. Give a folder you can write to.");
        }
        if (Files.isDirectory(root)) {
            // One listing decides: another worker may claim the folder at any moment, and its
            // protocol.json then appears between two looks (checked absent, then listed).
            List<String> names;
            try (Stream<Path> entries = Files.list(root)) {
                names = entries.map(p -> p.getFileName().toString()).toList();
            }
            if (!names.contains(PROTOCOL_FILE)) {
                List<String> others =
                        names.stream().filter(n -> !isSweepsOwn(root, n)).limit(3).toList();
                if (!others.isEmpty()) {
                    throw new BadInputException(
                            refusal
                                    + "it holds other files ("
                                    + String.join(", ", others)
                                    + ") and no "
                                    + PROTOCOL_FILE
                                    + ", so it is not a depthsweep run folder. Give a new or empty"
                                    + " folder, or the run folder of the sweep to resume.");
                }
            }
        }
    }

    /**
     * Opens a run folder to write a sweep into: a new folder, an empty one, or one a sweep wrote
     * before (to resume it). A cell record in it that cannot be used (damaged, another cell's or
     * another protocol's) is reported to the log, set aside as {@code cells/ID.json.rejected}, and
     * its cell trained again.
     *
     * @param root the folder, created if needed
     * @param log where set-aside records are reported
     * @return the run folder
     * @throws BadInputException if it cannot be used; the message, one line, says why and what to
     *     do
     * @throws IOException if it cannot be created or written
     */
    public static RunFolder create(Path root, PrintWriter log) throws IOException {
        checkUsable(root);
        String refusal = "--out " + root + " cannot be used: ";
        try {
            Files.createDirectories(root.resolve("cells"));
        } catch (IOException e) {
            throw new BadInputException(
                    refusal
                            + "it cannot be created ("
                            + e.getClass().getSimpleName()
                            + "). Give a folder you can write to.");
        }
        try {
            Files.delete(Files.createTempFile(root, WRITE_TEST, null));
        } catch (IOException e) {
            throw new BadInputException(
                    refusal + "it is not writable. Give a folder you can write to.");
        }
        return new RunFolder(root, log, null);
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
     * Opens a run folder that a sweep wrote, to read its results. Here a cell record that cannot be
     * used is an error: {@code merge} refuses rather than draw a wrong table.
     *
     * @param root the folder
     * @return the run folder
     * @throws BadInputException if it is not a depthsweep run folder, or its {@value
     *     #PROTOCOL_FILE} is damaged
     * @throws IOException if it cannot be read
     */
    public static RunFolder existing(Path root) throws IOException {
        if (!Files.isDirectory(root.resolve("cells"))) {
            throw new BadInputException(
                    root + " is not a depthsweep run folder: it has no cells/ folder.");
        }
        Path file = root.resolve(PROTOCOL_FILE);
        return new RunFolder(root, null, Files.exists(file) ? readProtocol(file) : null);
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
     * the cells of one protocol only. The file is created exclusively, so of two workers that start
     * on one new folder with different settings at the same moment, exactly one goes on.
     *
     * @param protocol the protocol of this run
     * @throws BadInputException if the folder holds another protocol, or a damaged {@value
     *     #PROTOCOL_FILE}; the message says what to do
     * @throws IOException if it cannot be written
     */
    public void claim(Protocol protocol) throws IOException {
        Path file = root.resolve(PROTOCOL_FILE);
        if (!AtomicFiles.createExclusively(file, JSON.writeValueAsBytes(protocol))) {
            this.protocol = readProtocol(file);
            checkSettings(protocol);
        }
        this.protocol = protocol;
    }

    /**
     * Refuses a sweep whose settings differ from those this folder records, as {@link #claim} does,
     * without writing anything: {@code --dry-run} on a folder refuses what the run would.
     *
     * @param protocol the settings of the sweep
     * @throws BadInputException if the folder holds another protocol; the message says what to do
     */
    public void checkSettings(Protocol protocol) throws BadInputException {
        if (this.protocol != null && !this.protocol.equals(protocol)) {
            throw new BadInputException(
                    root
                            + " holds a sweep with other settings ("
                            + this.protocol.describe()
                            + "); use another --out, or the same settings to resume it.");
        }
    }

    private static Protocol readProtocol(Path file) throws IOException {
        Protocol protocol;
        try {
            protocol = JSON.readValue(file.toFile(), Protocol.class);
        } catch (JsonProcessingException e) {
            protocol = null;
        }
        String problem = protocol == null ? "it is not JSON of a protocol" : protocol.problem();
        if (problem != null) {
            throw new BadInputException(
                    file
                            + " is damaged ("
                            + problem
                            + "): restore it from the cells' own records (each cell's JSON holds"
                            + " its protocol), or use another --out.");
        }
        return protocol;
    }

    /**
     * Returns a cell's recorded result, if it has a usable one.
     *
     * @param cell the cell
     * @return its result, or empty if the cell has not ended yet (or its record was set aside)
     * @throws BadInputException if the record cannot be used and this folder is read, not written
     * @throws IOException if the record cannot be read
     */
    public Optional<CellResult> result(Cell cell) throws IOException {
        Path file = cellFile(cell.id());
        return Files.exists(file) ? read(file) : Optional.empty();
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
     * Returns every usable recorded result in this folder, ordered by id.
     *
     * @return the results
     * @throws BadInputException if a record cannot be used and this folder is read, not written
     * @throws IOException if a record cannot be read
     */
    public List<CellResult> results() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(root.resolve("cells"))) {
            files = listed.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        List<CellResult> results = new ArrayList<>();
        for (Path file : files) {
            read(file).ifPresent(results::add);
        }
        return results;
    }

    /** Reads a cell record and checks it against its file name and this folder's protocol. */
    private Optional<CellResult> read(Path file) throws IOException {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - ".json".length());
        CellResult result;
        String problem;
        try {
            result = JSON.readValue(file.toFile(), CellResult.class);
            problem = result == null ? "it holds no cell record" : result.problem(id, protocol);
        } catch (JsonProcessingException e) {
            result = null;
            problem = "it is not JSON of a cell record: " + e.getOriginalMessage();
        } catch (NoSuchFileException e) {
            return Optional.empty(); // another worker set it aside just now
        }
        if (problem == null) {
            return Optional.of(result);
        }
        Path shown = root.relativize(file.toAbsolutePath().normalize());
        if (log == null) {
            throw new BadInputException(
                    root + "/" + shown + " cannot be used (" + problem + "): move it away.");
        }
        Path aside = file.resolveSibling(name + REJECTED);
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // another worker set it aside first
        }
        log.printf(
                "warning: %s cannot be used (%s): set aside as %s; %s will be trained again%n",
                shown, problem, aside.getFileName(), id);
        log.flush();
        return Optional.empty();
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
