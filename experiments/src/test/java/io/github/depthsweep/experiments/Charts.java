package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.depthsweep.experiments.tensorboard.CellEvents;
import io.github.depthsweep.experiments.tensorboard.RunEvents;
import io.github.depthsweep.tensorboard.EventFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** What TensorBoard shows of a run folder's cells, read back from their event files. */
final class Charts {

    /** Measured, not computed: they differ between two runs of the same training. */
    private static final Set<String> TIMINGS =
            Set.of("epoch/images_per_second", "epoch/resident_mb");

    private Charts() {}

    /**
     * Returns a cell's only event file.
     *
     * @param tensorboard the folder of runs: {@code RUN/tensorboard}, or an export's
     * @param cell the cell's id
     * @return the file
     */
    static Path file(Path tensorboard, String cell) throws IOException {
        try (Stream<Path> files = Files.list(tensorboard.resolve(cell))) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), "one event file per cell: " + all);
            assertEquals(true, all.get(0).toString().endsWith(CellEvents.SUFFIX), all.toString());
            return all.get(0);
        }
    }

    /**
     * Returns a cell's points, one line each ({@code STEP TAG VALUE}, histograms by tag): what a
     * run that trained the same way shows, so timings are left out.
     *
     * @param run the run folder
     * @param cell the cell's id
     * @return the points, in the file's order
     */
    static List<String> points(Path run, String cell) throws IOException {
        List<String> points = new ArrayList<>();
        for (EventFiles.Event event : EventFiles.read(file(run.resolve(RunEvents.FOLDER), cell))) {
            Map<String, Float> scalars = event.scalars();
            for (String tag : event.tags()) {
                if (!TIMINGS.contains(tag)) {
                    points.add(event.step() + " " + tag + " " + scalars.getOrDefault(tag, null));
                }
            }
        }
        return points;
    }

    /**
     * Returns the events of a TensorBoard run, their wall times left out.
     *
     * @param file an event file
     * @return each event's step and content
     */
    static List<String> timeless(Path file) throws IOException {
        return EventFiles.read(file).stream()
                .map(e -> e.step() + " " + e.content().toStringUtf8())
                .toList();
    }
}
