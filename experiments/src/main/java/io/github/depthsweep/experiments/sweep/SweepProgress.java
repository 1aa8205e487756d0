package io.github.depthsweep.experiments.sweep;

import java.time.Duration;

/**
 * Tracks a sweep's work to give an ETA. Work is counted in training multiply-adds (image-steps
 * times each model's forward cost), so a 50-layer cell weighs four times a 12-layer one; the rate
 * is measured as the sweep goes, so the ETA adapts to the machine.
 */
public final class SweepProgress {

    private final double totalWork;
    private double doneWork;
    private double seconds;

    /**
     * Creates the tracker.
     *
     * @param totalWork the work of every cell still to run
     */
    public SweepProgress(double totalWork) {
        this.totalWork = totalWork;
    }

    /**
     * Records finished work.
     *
     * @param work the work done
     * @param elapsedSeconds the seconds it took
     */
    public void done(double work, double elapsedSeconds) {
        doneWork += work;
        seconds += elapsedSeconds;
    }

    /**
     * Returns the estimated time left, as {@code h:mm:ss}.
     *
     * @return the ETA, or {@code ?} before any work is done
     */
    public String eta() {
        if (doneWork == 0) {
            return "?";
        }
        double left = Math.max(0, totalWork - doneWork) * seconds / doneWork;
        return format(Duration.ofSeconds(Math.round(left)));
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
