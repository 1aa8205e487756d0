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
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Estimates the time cells have left, for the sweep's first line and {@code --dry-run}. A model
 * that has finished a cell on this machine and device is timed by that cell's median epoch ({@link
 * Makespan#cellSeconds}): measured over hours, where the speed probe runs a few steps and errs by a
 * factor that varies from run to run, long or short (docs/results/paper/RUN.md). A model with no
 * finished cell of its own here is timed by its multiply-adds at the speed this machine's finished
 * cells reached, all of them together: the speed per multiply-add holds across this project's nets
 * to about a fifth (docs/results/paper/scaling_check.py). Cells from another machine do not count:
 * a run folder moves between machines (a copied folder, a cluster's mixed nodes, a resumed run on a
 * new VM) whose speeds differ severalfold. The probe runs only where no cell finished here.
 */
public final class TimeLeft {

    private final SweepPlan plan;
    private final Device device;

    /** A model's cell as this machine timed it: one of its cells, and a whole cell's seconds. */
    private record Measured(Cell cell, double seconds) {}

    private final Map<String, Measured> measured;
    private final int elsewhere;
    private SpeedProbe.Speed probe;
    private double measuredSpeed; // multiply-adds per second over the measured cells, once needed
    private int byMeasured;
    private int byScaling;
    private int byProbe;

    private TimeLeft(SweepPlan plan, Device device, Map<String, Measured> measured, int elsewhere) {
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
        Map<String, Measured> measured = new HashMap<>();
        byModel.forEach(
                (model, cells) -> {
                    CellResult one = cells.get(0);
                    Cell cell =
                            new Cell(Architecture.parse(one.variant()), one.depth(), one.seed());
                    measured.put(model, new Measured(cell, Makespan.cellSeconds(cells)));
                });
        return new TimeLeft(plan, device, measured, elsewhere);
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
        Measured own = measured.get(cell.model());
        if (own != null) {
            byMeasured++;
            return own.seconds() * epochs / all;
        }
        if (!measured.isEmpty()) {
            byScaling++;
            return epochs * plan.epochWork(cell, manager) / measuredSpeed(manager);
        }
        if (probe == null) {
            // a few timed steps here: machines of one kind differ twofold in speed
            probe = SpeedProbe.measure(device);
        }
        byProbe++;
        return epochs * plan.epochWork(cell, manager) / probe.multiplyAddsPerSecond();
    }

    private double measuredSpeed(NDManager manager) {
        if (measuredSpeed == 0) {
            int all = plan.protocol().epochs();
            double work = 0;
            double seconds = 0;
            for (Measured m : measured.values()) {
                work += all * plan.epochWork(m.cell(), manager);
                seconds += m.seconds();
            }
            measuredSpeed = work / seconds;
        }
        return measuredSpeed;
    }

    /**
     * Says how the cells estimated so far were timed.
     *
     * @return e.g. {@code "9 timed by their model's finished cells on this machine, 2 by their
     *     multiply-adds at the speed of those cells (181 GFLOP/s)"}
     */
    public String sources() {
        List<String> sources = new ArrayList<>();
        if (byMeasured > 0) {
            sources.add(byMeasured + " timed by their model's finished cells on this machine");
        }
        if (byScaling > 0) {
            sources.add(
                    String.format(
                            Locale.ROOT,
                            "%d by their multiply-adds at the speed of %s (%.0f GFLOP/s)",
                            byScaling,
                            byMeasured > 0 ? "those cells" : "this machine's finished cells",
                            measuredSpeed * 2 / 1e9));
        }
        if (byProbe > 0) {
            // Within 25% of the whole command's wall time on a quiet machine, with tcmalloc or
            // glibc's malloc, through the jar or Maven (docs/results/estimates/RUN.md).
            sources.add(
                    String.format(
                            Locale.ROOT,
                            "%d by a speed probe of a few steps of residual-20 (%.0f GFLOP/s%s)",
                            byProbe,
                            probe.multiplyAddsPerSecond() * 2 / 1e9,
                            probe.busyNote()));
        }
        String elsewhereNote =
                elsewhere == 0
                        ? ""
                        : "; "
                                + elsewhere
                                + " of the run folder's finished cells ran on another machine or"
                                + " device and do not count";
        return String.join(", ", sources) + elsewhereNote;
    }
}
