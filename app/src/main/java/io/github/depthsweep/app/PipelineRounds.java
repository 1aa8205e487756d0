package io.github.depthsweep.app;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;

/**
 * The timed rounds of a command's whole path (predict's or evaluate's), each run batch by batch
 * beside the {@link RawEngine}: per round the path's images per second, the raw engine's, and their
 * ratio; then the medians. The ratio is taken per round, from neighbours that saw the same machine,
 * so that a machine whose speed drifts between rounds does not decide it.
 */
final class PipelineRounds {

    private final String path;
    private final double[] rates;
    private final double[] rawRates;
    private final double[] ratios;

    /**
     * Creates the record of a number of rounds.
     *
     * @param path the path's name in the median line: {@code predict} or {@code evaluate}
     * @param rounds the timed rounds
     */
    PipelineRounds(String path, int rounds) {
        this.path = path;
        this.rates = new double[rounds];
        this.rawRates = new double[rounds];
        this.ratios = new double[rounds];
    }

    /**
     * Records a timed round.
     *
     * @param round the round, from 0
     * @param images the images of the round
     * @param seconds the path's seconds for them
     * @param rawSeconds the raw engine's seconds for as many images
     */
    void record(int round, long images, double seconds, double rawSeconds) {
        rates[round] = images / seconds;
        rawRates[round] = images / rawSeconds;
        ratios[round] = rates[round] / rawRates[round];
    }

    /**
     * Returns a round's rate through the path.
     *
     * @param round the round, recorded
     * @return images per second
     */
    double rate(int round) {
        return rates[round];
    }

    /**
     * Returns a round's rate of the raw engine.
     *
     * @param round the round, recorded
     * @return images per second
     */
    double rawRate(int round) {
        return rawRates[round];
    }

    /**
     * Returns a round's path rate over its raw engine rate.
     *
     * @param round the round, recorded
     * @return the ratio, 1 when the path costs nothing beyond the engine
     */
    double ratio(int round) {
        return ratios[round];
    }

    /**
     * Prints the median line: the median rates and ratio, and the range of the ratios.
     *
     * @param out where to print it
     */
    void printMedian(PrintWriter out) {
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        out.printf(
                Locale.ROOT,
                "median: %s %.1f images/s, raw engine %.1f images/s, %s/raw %.1f%% (rounds from"
                        + " %.1f%% to %.1f%%)%n",
                path,
                median(rates),
                median(rawRates),
                path,
                100 * median(ratios),
                100 * sorted[0],
                100 * sorted[sorted.length - 1]);
        out.flush();
    }

    /**
     * Returns the median of some values.
     *
     * @param values the values, at least one; not changed
     * @return their median
     */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
