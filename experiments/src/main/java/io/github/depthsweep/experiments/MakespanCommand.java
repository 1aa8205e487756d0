package io.github.depthsweep.experiments;

import ai.djl.ndarray.NDManager;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.experiments.run.Cell;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.sweep.Makespan;
import io.github.depthsweep.experiments.sweep.SweepPlan;
import io.github.depthsweep.experiments.sweep.SweepProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code depthsweep makespan}: how long a run's sweep would take on N nodes sharing its cells, by a
 * simulation of the claim queue ({@link Makespan}) fed with the run's measured epoch times.
 */
@Command(
        name = "makespan",
        mixinStandardHelpOptions = true,
        description = {
            "Simulates the claim queue: the time to the table on N nodes, each running one worker"
                    + " that takes the next cell when it is free, in the plan's depth order and"
                    + " longest first. Each cell's time comes from the run's measurements (see"
                    + " --times), so the nodes are like the machine that ran it. A simulation, not"
                    + " a measurement."
        })
final class MakespanCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A run folder with finished cells.")
    Path run;

    @Option(
            names = "--nodes",
            split = ",",
            defaultValue = "1,2,4,8",
            description = "Node counts to simulate. Default: ${DEFAULT-VALUE}.")
    List<Integer> nodes;

    @Option(
            names = "--seeds",
            split = ",",
            defaultValue = "1,3",
            description =
                    "Seeds per cell to simulate; a model's seeds all take its measured time."
                            + " Default: ${DEFAULT-VALUE}.")
    List<Integer> seeds;

    /** Where a cell's time comes from. */
    enum Times {
        /** The median epoch's training time, times the epochs, plus evaluation: pauses ignored. */
        EPOCHS,
        /** The cell's sessions' recorded wall time: every cost included, pauses too. */
        SESSIONS
    }

    @Option(
            names = "--times",
            defaultValue = "epochs",
            description =
                    "epochs: each cell takes the epochs at its model's median epoch time, plus"
                            + " evaluation by its share of the forward passes (for a run that was"
                            + " paused or shared the machine now and then); sessions: each cell takes"
                            + " its recorded wall time, start to last save (for a run that was not)."
                            + " Default: ${DEFAULT-VALUE}.")
    Times times;

    @Override
    public Integer call() throws IOException {
        for (int n : nodes) {
            SweepCommand.require(n >= 1, "--nodes must be 1 or more, got " + n);
        }
        for (int s : seeds) {
            SweepCommand.require(s >= 1, "--seeds must be 1 or more, got " + s);
        }
        Map<String, List<CellResult>> byModel = new LinkedHashMap<>();
        TreeSet<Integer> depths = new TreeSet<>();
        TreeSet<Architecture> architectures = new TreeSet<>();
        Protocol protocol = null;
        for (CellResult cell : RunFolder.existing(run).results()) {
            if (!CellResult.FINISHED.equals(cell.status())) {
                continue;
            }
            SweepCommand.require(
                    protocol == null || protocol.equals(cell.protocol()),
                    run + " holds cells under different settings: " + cell.id());
            protocol = cell.protocol();
            Architecture architecture = Architecture.parse(cell.variant());
            architectures.add(architecture);
            depths.add(cell.depth());
            byModel.computeIfAbsent(architecture.modelName(cell.depth()), m -> new ArrayList<>())
                    .add(cell);
        }
        SweepCommand.require(protocol != null, run + " has no finished cell to take times from");
        Map<String, Double> cellSeconds = new LinkedHashMap<>();
        byModel.forEach(
                (model, cells) ->
                        cellSeconds.put(
                                model,
                                times == Times.EPOCHS
                                        ? Makespan.cellSeconds(cells)
                                        : Makespan.recordedSeconds(cells)));

        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "A simulation of the claim queue, not a run: each node runs one worker, which takes"
                        + " the next cell as soon as it is free. Cells of %s (%s); ",
                run, protocol.describe());
        if (times == Times.EPOCHS) {
            out.printf(
                    "each cell takes %d epochs at its model's median measured epoch, plus"
                            + " evaluation (%.1f%% more forward passes).%n%n",
                    protocol.epochs(),
                    100
                            * (SweepPlan.forwardImages(protocol)
                                            / SweepPlan.trainingForwardImages(protocol)
                                    - 1));
        } else {
            out.printf("each cell takes its model's recorded wall time (median over seeds).%n%n");
        }
        out.println("| cell | measured seeds | one cell |");
        out.println("|---|---:|---:|");
        byModel.forEach(
                (model, cells) ->
                        out.printf(
                                "| %s | %d | %s |%n",
                                model, cells.size(), hours(cellSeconds.get(model))));
        out.println();
        out.println("| nodes | seeds | cells | depth order | longest first |");
        out.println("|---:|---:|---:|---:|---:|");
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int s : seeds) {
                SweepPlan plan =
                        SweepPlan.of(
                                List.copyOf(architectures), List.copyOf(depths), s, 0, 1, protocol);
                List<Double> inDepthOrder = times(plan.cells(), cellSeconds);
                List<Double> longestFirst = times(plan.longestFirst(manager), cellSeconds);
                for (int n : nodes) {
                    out.printf(
                            "| %d | %d | %d | %s | %s |%n",
                            n,
                            s,
                            plan.cells().size(),
                            hours(Makespan.seconds(inDepthOrder, n)),
                            hours(Makespan.seconds(longestFirst, n)));
                }
            }
        }
        out.flush();
        return 0;
    }

    private static List<Double> times(List<Cell> cells, Map<String, Double> cellSeconds) {
        List<Double> times = new ArrayList<>();
        for (Cell cell : cells) {
            Double seconds = cellSeconds.get(cell.model());
            SweepCommand.require(seconds != null, "no measured cell of " + cell.model());
            times.add(seconds);
        }
        return times;
    }

    /** h:mm:ss, as the sweep prints times. */
    private static String hours(double seconds) {
        return SweepProgress.format(Duration.ofSeconds(Math.round(seconds)));
    }
}
