package io.github.depthsweep.experiments.run;

import ai.djl.nn.Block;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.depthsweep.core.io.AtomicFiles;
import io.github.depthsweep.core.training.InvalidCheckpointException;
import io.github.depthsweep.core.training.ResumableOptimizer;
import io.github.depthsweep.core.training.TrainingCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The checkpoints of a run folder's unfinished cells: {@code checkpoints/ID.ckpt}, the one before
 * it ({@code ID.previous.ckpt}), and the last one refused ({@code ID.rejected.ckpt}, kept for a
 * look). Each holds a {@link TrainingCheckpoint} whose metadata is the cell's {@link CellProgress}.
 * A finished cell's checkpoints are deleted.
 */
public final class CellCheckpoints {

    private final Path folder;
    private final PrintWriter log;

    /**
     * Opens the checkpoints of a run folder.
     *
     * @param root the run folder
     * @param log where refused checkpoints are reported
     */
    public CellCheckpoints(Path root, PrintWriter log) {
        this.folder = root.resolve("checkpoints");
        this.log = log;
    }

    /**
     * Returns a cell's latest checkpoint file.
     *
     * @param cell the cell
     * @return {@code checkpoints/ID.ckpt}
     */
    public Path latest(Cell cell) {
        return folder.resolve(cell.id() + ".ckpt");
    }

    private Path previous(Cell cell) {
        return folder.resolve(cell.id() + ".previous.ckpt");
    }

    private Path rejected(Cell cell) {
        return folder.resolve(cell.id() + ".rejected.ckpt");
    }

    /**
     * Saves a cell's state; the latest checkpoint becomes the previous one.
     *
     * @param cell the cell
     * @param network its network
     * @param optimizer its optimizer
     * @param progress its records so far
     * @throws IOException if the checkpoint cannot be written
     */
    public void save(Cell cell, Block network, ResumableOptimizer optimizer, CellProgress progress)
            throws IOException {
        Path latest = latest(cell);
        if (Files.exists(latest)) {
            Files.move(
                    latest,
                    previous(cell),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        TrainingCheckpoint.save(
                latest, network, optimizer, RunFolder.JSON.writeValueAsString(progress));
    }

    /**
     * Restores a cell from its latest usable checkpoint: the latest, else the previous one. A
     * checkpoint that is damaged, of other settings or of another cell is reported in one line,
     * moved aside, and never restored.
     *
     * @param cell the cell
     * @param protocol the settings of this run
     * @param network the cell's network, freshly initialized; unchanged if nothing is restored
     * @param optimizer its optimizer
     * @return the cell's progress, or empty to start from scratch
     * @throws IOException if a checkpoint exists but cannot be read or moved at all
     */
    public Optional<CellProgress> restore(
            Cell cell, Protocol protocol, Block network, ResumableOptimizer optimizer)
            throws IOException {
        AtomicFiles.deleteTemporaries(latest(cell)); // a killed save's; this worker holds the cell
        List<Path> candidates = List.of(latest(cell), previous(cell));
        for (int i = 0; i < candidates.size(); i++) {
            Path file = candidates.get(i);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
                CellProgress progress = progress(checkpoint.metadata(), file);
                if (!cell.id().equals(progress.cell())) {
                    throw new InvalidCheckpointException(
                            file, "it belongs to cell " + progress.cell() + ", not " + cell.id());
                }
                if (!protocol.equals(progress.protocol())) {
                    throw new InvalidCheckpointException(
                            file,
                            "it was written under other settings ("
                                    + progress.protocol().describe()
                                    + ")");
                }
                checkpoint.restore(network, optimizer);
                return Optional.of(progress);
            } catch (InvalidCheckpointException e) {
                boolean fallback = i == 0 && Files.exists(previous(cell));
                log.printf(
                        "warning: %s %s%n",
                        e.getMessage(),
                        fallback
                                ? "Trying the one before it."
                                : "Starting " + cell.id() + " from scratch.");
                log.flush();
                Files.move(file, rejected(cell), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return Optional.empty();
    }

    /**
     * Deletes a cell's checkpoints, once its result and model are saved.
     *
     * @param cell the cell
     * @throws IOException if one cannot be deleted
     */
    public void delete(Cell cell) throws IOException {
        for (Path file : List.of(latest(cell), previous(cell), rejected(cell))) {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Returns the epochs a cell's latest checkpoint says are done, for the sweep's time estimate; 0
     * where there is none or it cannot be read (restoring reports that).
     *
     * @param cell the cell
     * @return the epochs done
     */
    public int epochsDone(Cell cell) {
        Path file = latest(cell);
        try {
            return Files.exists(file)
                    ? progress(TrainingCheckpoint.readMetadata(file), file).epochsDone()
                    : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static CellProgress progress(String metadata, Path file)
            throws InvalidCheckpointException {
        try {
            CellProgress progress = RunFolder.JSON.readValue(metadata, CellProgress.class);
            if (progress.cell() == null || progress.protocol() == null) {
                throw new InvalidCheckpointException(file, "its record lacks the cell or settings");
            }
            return progress;
        } catch (JsonProcessingException e) {
            throw new InvalidCheckpointException(file, "its record is not a depthsweep cell's");
        }
    }
}
