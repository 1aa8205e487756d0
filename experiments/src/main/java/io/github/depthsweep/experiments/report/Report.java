package io.github.depthsweep.experiments.report;

import io.github.depthsweep.experiments.run.CellResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One report drawn from a set of cells into a folder: its own files, rewritten from the cells each
 * time. A new report is a class with this method and one line in {@link Reports}.
 */
@FunctionalInterface
public interface Report {

    /**
     * Writes the report's files into {@code folder}, replacing older ones.
     *
     * @param results the cells, finished and failed
     * @param folder where to write
     * @throws IOException if a file cannot be written
     */
    void write(List<CellResult> results, Path folder) throws IOException;
}
