package io.github.depthsweep.experiments.bench;

import java.util.Arrays;

/**
 * The median, the figure a benchmark reports from repeated timings on a machine whose speed drifts.
 */
final class Median {

    private Median() {}

    /**
     * Returns the median of some values.
     *
     * @param values the values, at least one
     * @return their median
     */
    static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
