package io.github.depthsweep.experiments.sweep;

import io.github.depthsweep.experiments.report.Median;
import io.github.depthsweep.experiments.run.CellProgress;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A simulation of the claim queue, not a measurement: how long a sweep's cells take on N nodes when
 * each node runs one worker that, as soon as it is free, claims the next cell in a given order, as
 * workers sharing a run folder do. Each cell takes the seconds it is given; starting workers,
 * claiming cells and writing tables take no time.
 */
public final class Makespan {

    private Makespan() {}

    /**
     * Returns the time until the last cell has ended.
     *
     * @param cellSeconds each cell's time, in the order the cells are claimed
     * @param nodes how many nodes (one worker each) share the cells
     * @return seconds from the first claim to the end of the last cell
     */
    public static double seconds(List<Double> cellSeconds, int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
        }
        PriorityQueue<Double> free = new PriorityQueue<>(); // when each node is free next
        for (int i = 0; i < nodes; i++) {
            free.add(0.0);
        }
        double end = 0;
        for (double cell : cellSeconds) {
            double done = free.remove() + cell;
            free.add(done);
            end = Math.max(end, done);
        }
        return end;
    }

    /**
     * Estimates one cell's time from measured cells of its model: every epoch at the median
     * measured epoch's training seconds (robust to epochs that shared the machine with something
     * else), plus evaluation at the training speed, by its share of the forward passes ({@link
     * SweepPlan#forwardImages}).
     *
     * @param measured finished cells of one model (its seeds), all under one protocol
     * @return the estimated seconds of one cell
     */
    public static double cellSeconds(List<CellResult> measured) {
        if (measured.isEmpty()) {
            throw new IllegalArgumentException("no measured cell");
        }
        double[] epochs =
                measured.stream()
                        .flatMap(cell -> cell.epochs().stream())
                        .mapToDouble(EpochResult::trainSeconds)
                        .toArray();
        if (epochs.length == 0) {
            throw new IllegalArgumentException(measured.get(0).id() + " has no measured epoch");
        }
        var protocol = measured.get(0).protocol();
        double evaluation =
                SweepPlan.forwardImages(protocol) / SweepPlan.trainingForwardImages(protocol);
        return protocol.epochs() * Median.of(epochs) * evaluation;
    }

    /**
     * Returns one cell's time as its measured cells recorded it: the median over them of the wall
     * time of their sessions, start to last save. Everything a cell costs is in it (building the
     * net, evaluation, checkpoints, saving), and so is anything else the machine did meanwhile:
     * right for a run that was not paused.
     *
     * @param measured finished cells of one model (its seeds)
     * @return the median cell's seconds
     * @throws IllegalArgumentException if a session has no recorded end
     */
    public static double recordedSeconds(List<CellResult> measured) {
        double[] cells = new double[measured.size()];
        for (int i = 0; i < cells.length; i++) {
            CellResult cell = measured.get(i);
            for (CellProgress.Session session : cell.sessions()) {
                cells[i] +=
                        session.wallTime()
                                        .orElseThrow(
                                                () ->
                                                        new IllegalArgumentException(
                                                                cell.id()
                                                                        + " has a session without a"
                                                                        + " recorded end: use the"
                                                                        + " epochs' times"))
                                        .toMillis()
                                / 1000.0;
            }
        }
        if (cells.length == 0) {
            throw new IllegalArgumentException("no measured cell");
        }
        return Median.of(cells);
    }
}
