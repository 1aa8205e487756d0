package io.github.depthsweep.experiments.sweep;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.experiments.bench.SpeedProbe;
import io.github.depthsweep.experiments.run.Cell;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.system.NativeAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Estimates the time cells have left, for the sweep's first line and {@code --dry-run}. A model
 * that has finished a cell in the run folder is timed by that cell's median epoch ({@link
 * Makespan#cellSeconds}): the folder's machine measured it over hours, where the speed probe runs a
 * few steps and errs long by a factor that varies from run to run (docs/results/paper/RUN.md). The
 * probe, run once and only if needed, times the other models.
 */
public final class TimeLeft {

    private final SweepPlan plan;
    private final Device device;
    private final Map<String, Double> measured;
    private SpeedProbe.Speed probe;
    private int byMeasured;
    private int byProbe;

    private TimeLeft(SweepPlan plan, Device device, Map<String, Double> measured) {
        this.plan = plan;
        this.device = device;
        this.measured = measured;
    }

    /**
     * Prepares estimates for a plan.
     *
     * @param plan the cells
     * @param device where they train, for the probe
     * @param folder the run folder whose finished cells time their models, or null for none
     * @return the estimator
     * @throws IOException if the folder's records cannot be listed
     */
    public static TimeLeft of(SweepPlan plan, Device device, RunFolder folder) throws IOException {
        return new TimeLeft(plan, device, folder == null ? Map.of() : measured(folder));
    }

    /**
     * Returns each model's cell time from a folder's finished cells, or none where a record cannot
     * be used (the probe then times every model).
     */
    private static Map<String, Double> measured(RunFolder folder) throws IOException {
        Map<String, List<CellResult>> byModel = new HashMap<>();
        try {
            for (CellResult cell : folder.results()) {
                if (cell.finished() && !cell.epochs().isEmpty()) {
                    String model = Architecture.parse(cell.variant()).modelName(cell.depth());
                    byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(cell);
                }
            }
        } catch (BadInputException e) {
            return Map.of();
        }
        Map<String, Double> seconds = new HashMap<>();
        byModel.forEach((model, cells) -> seconds.put(model, Makespan.cellSeconds(cells)));
        return seconds;
    }

    /**
     * Estimates the seconds a cell needs for some epochs.
     *
     * @param cell the cell
     * @param epochs its epochs left; 0 for a cell that has ended
     * @param manager a manager to build the model in, for its multiply-adds
     * @return the seconds
     */
    public double seconds(Cell cell, int epochs, NDManager manager) {
        if (epochs == 0) {
            return 0;
        }
        int all = plan.protocol().epochs();
        if (measured.containsKey(cell.model())) {
            byMeasured++;
            return measured.get(cell.model()) * epochs / all;
        }
        if (probe == null) {
            // a few timed steps here: machines of one kind differ twofold in speed
            probe = SpeedProbe.measure(device);
        }
        byProbe++;
        return epochs * plan.epochWork(cell, manager) / probe.multiplyAddsPerSecond();
    }

    /**
     * Says how the cells estimated so far were timed.
     *
     * @return e.g. {@code "9 timed by their model's finished cells in the run folder, 2 by a speed
     *     probe of a few steps of residual-20 (167 GFLOP/s)"}
     */
    public String sources() {
        List<String> sources = new ArrayList<>();
        if (byMeasured > 0) {
            sources.add(byMeasured + " timed by their model's finished cells in the run folder");
        }
        if (byProbe > 0) {
            // On glibc's malloc the first steps fault their tensors' pages in, and they are all
            // the probe times, so it reads far slower than training then runs
            // (docs/results/paper/RUN.md).
            String slowStart =
                    NativeAllocator.current() == NativeAllocator.SYSTEM
                            ? "; on the system malloc a fresh process's first steps run slow, so"
                                    + " the estimate is long: the ETA after each epoch is closer"
                            : "";
            sources.add(
                    String.format(
                            Locale.ROOT,
                            "%d by a speed probe of a few steps of residual-20 (%.0f GFLOP/s%s%s)",
                            byProbe,
                            probe.multiplyAddsPerSecond() * 2 / 1e9,
                            probe.busyNote(),
                            slowStart));
        }
        return String.join(", ", sources);
    }
}
