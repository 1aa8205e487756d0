package io.github.depthsweep.experiments.report;

import io.github.depthsweep.experiments.run.CellResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Every report of a set of cells: {@code results.md}, {@code results.csv}, the plots, and more. */
public final class Reports {

    /** The reports a sweep and {@code merge} write, in this order. */
    private static final List<Report> ALL =
            List.of(ResultsTable::write, SeedStatistics::write, Plots::write);

    private Reports() {}

    /**
     * Writes the tables and plots of some cells into a folder, replacing older ones.
     *
     * @param results the cells
     * @param folder the folder
     * @throws IOException if a file cannot be written
     */
    public static void write(List<CellResult> results, Path folder) throws IOException {
        for (Report report : ALL) {
            report.write(results, folder);
        }
    }
}
