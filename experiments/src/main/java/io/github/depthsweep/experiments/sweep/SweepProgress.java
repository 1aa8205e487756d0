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
 * case).
 */
public final class SweepProgress {

    private final double totalWork;
    private double doneWork;
    private final List<Double> rates = new ArrayList<>();

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
     * Records finished work whose time says nothing of the rate: an epoch resumed from a checkpoint
     * mid-way trained only some of its steps in this process, so its whole work over its time would
     * read as a faster machine than this one.
     *
     * @param work the work done
     */
    public void doneUntimed(double work) {
        doneWork += work;
    }

    /**
     * Returns the estimated time left, as {@code h:mm:ss}.
     *
     * @return the ETA, or {@code ?} before any work is timed
     */
    public String eta() {
        if (rates.isEmpty()) {
            return "?";
        }
        double rate = Median.of(rates.stream().mapToDouble(Double::doubleValue).toArray());
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
