package io.github.depthsweep.experiments.sweep;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.experiments.bench.SpeedProbe;
import io.github.depthsweep.experiments.run.Cell;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.system.Machine;
import io.github.depthsweep.experiments.system.NativeAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Estimates the time cells have left, for the sweep's first line and {@code --dry-run}. A model
 * that has finished a cell on this machine and device is timed by that cell's median epoch ({@link
 * Makespan#cellSeconds}): measured over hours, where the speed probe runs a few steps and errs long
 * by a factor that varies from run to run (docs/results/paper/RUN.md). Cells from another machine
 * do not count: a run folder moves between machines (a copied folder, a cluster's mixed nodes, a
 * resumed run on a new VM) whose speeds differ severalfold. The probe, run once and only if needed,
 * times the other models.
 */
public final class TimeLeft {

    private final SweepPlan plan;
    private final Device device;
    private final Map<String, Double> measured;
    private final int elsewhere;
    private SpeedProbe.Speed probe;
    private int byMeasured;
    private int byProbe;

    private TimeLeft(SweepPlan plan, Device device, Map<String, Double> measured, int elsewhere) {
        this.plan = plan;
        this.device = device;
        this.measured = measured;
        this.elsewhere = elsewhere;
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
        if (folder == null) {
            return new TimeLeft(plan, device, Map.of(), 0);
        }
        Machine here = Machine.current();
        Map<String, List<CellResult>> byModel = new HashMap<>();
        int elsewhere = 0;
        try {
            for (CellResult cell : folder.results()) {
                if (!cell.finished() || cell.epochs().isEmpty()) {
                    continue;
                }
                if (!ranOnlyOn(cell, here, device)) {
                    elsewhere++;
                    continue;
                }
                String model = Architecture.parse(cell.variant()).modelName(cell.depth());
                byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(cell);
            }
        } catch (BadInputException e) {
            return new TimeLeft(plan, device, Map.of(), 0); // the probe times every model
        }
        Map<String, Double> seconds = new HashMap<>();
        byModel.forEach((model, cells) -> seconds.put(model, Makespan.cellSeconds(cells)));
        return new TimeLeft(plan, device, seconds, elsewhere);
    }

    /** Says whether every session of a cell ran here; records without sessions cannot say. */
    private static boolean ranOnlyOn(CellResult cell, Machine machine, Device device) {
        return cell.sessions() != null
                && !cell.sessions().isEmpty()
                && cell.sessions().stream()
                        .allMatch(
                                s ->
                                        machine.equals(s.machine())
                                                && device.toString().equals(s.device()));
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
     * @return e.g. {@code "9 timed by their model's finished cells on this machine, 2 by a speed
     *     probe of a few steps of residual-20 (167 GFLOP/s)"}
     */
    public String sources() {
        List<String> sources = new ArrayList<>();
        if (byMeasured > 0) {
            sources.add(byMeasured + " timed by their model's finished cells on this machine");
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
                            "%d by a speed probe of a few steps of residual-20 (%.0f GFLOP/s%s%s%s)",
                            byProbe,
                            probe.multiplyAddsPerSecond() * 2 / 1e9,
                            probe.busyNote(),
                            slowStart,
                            elsewhere == 0
                                    ? ""
                                    : "; "
                                            + elsewhere
                                            + " of the run folder's finished cells ran on another"
                                            + " machine or device and do not count"));
        }
        return String.join(", ", sources);
    }
}
