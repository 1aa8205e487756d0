package io.github.depthsweep.experiments.sweep;

import io.github.depthsweep.experiments.report.Median;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tracks a sweep's work to give an ETA. Work is counted in training multiply-adds (image-steps
 * times each model's forward cost), so a 50-layer cell weighs four times a 12-layer one; the rate
 * is measured as the sweep goes, so the ETA adapts to the machine.
 *
 * <p>The rate is the median of the epochs' rates, not the work so far over the time so far: one
 * epoch slowed by other work (a build, a CI run beside the sweep) does not move it, where the mean
 * carried such an epoch through every later ETA of the session (docs/results/paper/RUN.md has the
 * case). An epoch resumed mid-way is timed by the share of its work this process did (its steps
 * since the checkpoint and its evaluations), which gives a resumed sweep's first epoch line an ETA;
 * once a whole epoch has been timed, only whole epochs count.
 */
public final class SweepProgress {

    private final double totalWork;
    private double doneWork;
    private final List<Double> rates = new ArrayList<>();
    private final List<Double> partRates = new ArrayList<>();

    /**
     * Creates the tracker.
     *
     * @param totalWork the work of every cell still to run
     */
    public SweepProgress(double totalWork) {
        this.totalWork = totalWork;
    }

    /**
     * Records finished work, usually an epoch.
     *
     * @param work the work done
     * @param elapsedSeconds the seconds it took
     */
    public void done(double work, double elapsedSeconds) {
        doneWork += work;
        if (elapsedSeconds > 0) {
            rates.add(work / elapsedSeconds);
        }
    }

    /**
     * Records an epoch resumed from a checkpoint mid-way: all its work is done, but this process
     * did only part of it, so only that part over this process's time is a rate. Its whole work
     * over that time would read as a faster machine than this one.
     *
     * @param work the epoch's work
     * @param workHere the part this process did: the steps after the checkpoint and the evaluations
     * @param elapsedSeconds the seconds this process took for it
     */
    public void donePartly(double work, double workHere, double elapsedSeconds) {
        doneWork += work;
        if (elapsedSeconds > 0 && workHere > 0) {
            partRates.add(workHere / elapsedSeconds);
        }
    }

    /**
     * Returns the estimated time left, as {@code h:mm:ss}.
     *
     * @return the ETA, or {@code ?} before any work is timed
     */
    public String eta() {
        List<Double> timed = rates.isEmpty() ? partRates : rates;
        if (timed.isEmpty()) {
            return "?";
        }
        double rate = Median.of(timed.stream().mapToDouble(Double::doubleValue).toArray());
        return format(Duration.ofSeconds(Math.round(Math.max(0, totalWork - doneWork) / rate)));
    }

    /**
     * Formats a duration as {@code h:mm:ss}.
     *
     * @param duration the duration
     * @return the text
     */
    public static String format(Duration duration) {
        long s = duration.getSeconds();
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
