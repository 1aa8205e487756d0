package io.github.depthsweep.experiments.tensorboard;

import io.github.depthsweep.experiments.run.CellHistory;
import io.github.depthsweep.tensorboard.EventWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A sweep's TensorBoard folder: one run per cell ({@link CellEvents}) and a run named {@code plots}
 * that holds the sweep's plots as images, rewritten whenever the tables are. Writing events never
 * stops training: the first failure (an unwritable folder, a full disk) goes to the error handler,
 * which a sweep turns into one warning line.
 */
public final class RunEvents {

    /** The run folder's subfolder that TensorBoard is pointed at. */
    public static final String FOLDER = "tensorboard";

    /** The run that holds the plots. */
    public static final String PLOTS = "plots";

    private final Path root;
    private final Consumer<IOException> onError;

    /**
     * Writes into a TensorBoard folder.
     *
     * @param root the folder: {@code RUN/tensorboard}, or an export's
     * @param onError told of every failure to write; training goes on
     */
    public RunEvents(Path root, Consumer<IOException> onError) {
        this.root = root;
        this.onError = onError;
    }

    /**
     * Opens a cell's run, rewritten from its record so far.
     *
     * @param cellId the cell's id: its run's name
     * @param hparams its settings ({@link CellEvents#hparams})
     * @param history its record
     * @return the cell's events, to catch up as it trains
     */
    public CellEvents cell(String cellId, Map<String, Object> hparams, CellHistory history) {
        return CellEvents.open(root.resolve(cellId), hparams, history, onError);
    }

    /**
     * Rewrites the {@code plots} run with the PNG files of a folder, at a step.
     *
     * @param pngFolder where the tables and plots were written
     * @param step the cells ended so far, the x of the images' slider
     */
    public void plots(Path pngFolder, int step) {
        Path folder = root.resolve(PLOTS);
        List<Path> pngs;
        List<Path> older;
        try (Stream<Path> files = Files.list(pngFolder)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            older = EventFolder.ownFiles(folder);
        } catch (IOException e) {
            onError.accept(e);
            return;
        }
        if (pngs.isEmpty()) {
            return;
        }
        EventWriter events =
                EventWriter.builder(folder)
                        .optFileSuffix(EventFolder.SUFFIX)
                        .optOnError(onError)
                        .build();
        try (events) {
            for (Path png : pngs) {
                byte[] bytes = Files.readAllBytes(png);
                if (bytes.length < 24) {
                    continue; // not a PNG yet: a plot being written
                }
                String name = png.getFileName().toString();
                String tag = PLOTS + "/" + name.substring(0, name.length() - ".png".length());
                // A PNG's width and height are the first fields of its IHDR chunk, at byte 16.
                ByteBuffer header = ByteBuffer.wrap(bytes);
                events.summary(step)
                        .image(tag, bytes, header.getInt(16), header.getInt(20))
                        .write();
            }
        } catch (IOException e) {
            onError.accept(e);
        }
        Path written = events.file().orElse(null);
        if (events.error().isEmpty() && written != null) {
            // Workers sharing a run folder redraw in turn: the last file written (the newest
            // name) stays.
            EventFolder.delete(
                    older.stream().filter(file -> file.compareTo(written) < 0).toList(), onError);
        }
    }

    /**
     * Says in words why events could not be written.
     *
     * @param e the failure
     * @return e.g. {@code runs/smoke/tensorboard is a file, not a folder}
     */
    public static String describe(IOException e) {
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is a file, not a folder";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + " is not writable";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
