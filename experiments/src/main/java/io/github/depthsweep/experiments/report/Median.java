package io.github.depthsweep.experiments.report;

import java.util.Arrays;

/**
 * The median: the figure to report from repeated timings on a machine whose speed drifts or that
 * was paused now and then, as one slow round or epoch does not move it.
 */
public final class Median {

    private Median() {}

    /**
     * Returns the median of some values.
     *
     * @param values the values, at least one
     * @return their median
     */
    public static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
