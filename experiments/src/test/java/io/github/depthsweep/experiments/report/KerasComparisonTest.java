package io.github.depthsweep.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.experiments.report.KerasComparison.Row;
import io.github.depthsweep.experiments.report.SeedStatistics.Interval;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class KerasComparisonTest {

    private static final List<Double> OURS = List.of(0.85, 0.86, 0.87);

    @Test
    void anIntervalThatHoldsZeroIsNotDistinguishable() {
        Row row = new Row("plain", 12, List.of(0.80, 0.82, 0.84), OURS);
        // Keras: mean 0.82, s² = (0.02² + 0 + 0.02²) / 2 = 0.0004, sd 0.02.
        // depthsweep: mean 0.86, s² = (0.01² + 0 + 0.01²) / 2 = 0.0001, sd 0.01.
        // Difference of means, Keras − depthsweep: 0.82 − 0.86 = −0.04.
        // Standard error: sqrt(0.0004 / 3 + 0.0001 / 3) = sqrt(1.6667e-4) = 0.0129099445.
        // Welch–Satterthwaite, with u = 0.0001 / 3 (so the two s²/n are 4u and u):
        //   ν = (4u + u)² / ((4u)² / 2 + u² / 2) = 25 / 8.5 = 2.9411764706.
        // t(0.975, 2.9411764706) = 3.2187586145 (Commons Math's TDistribution, which
        // SeedStatistics.tQuantile uses; scipy.stats.t.ppf(0.975, 50 / 17) gives the same).
        // Half-width 3.2187586145 · 0.0129099445 = 0.0415539950:
        //   the interval is [−0.0815539950, +0.0015539950], which holds 0.
        assertEquals(3.2187586145, SeedStatistics.tQuantile(50.0 / 17), 1e-9);
        assertEquals(-0.04, row.difference().orElseThrow(), 1e-12);
        Interval interval = row.interval().orElseThrow();
        assertEquals(-0.0815539950, interval.low(), 1e-9);
        assertEquals(0.0015539950, interval.high(), 1e-9);
        assertFalse(interval.excludesZero());
        assertEquals(
                "plain-12: not distinguishable at these seeds: the difference, -4.00 points, lies"
                        + " within the seeds' noise (95% interval [-8.16, +0.16], which holds 0).",
                KerasComparison.verdict(row));
    }

    @Test
    void anIntervalThatExcludesZeroSaysWhichIsHigherAndByHowMuch() {
        Row row = new Row("plain", 50, List.of(0.80, 0.81, 0.82), OURS);
        // Keras: mean 0.81, s² = 0.0001; depthsweep: mean 0.86, s² = 0.0001. Difference −0.05.
        // Standard error: sqrt(2 · 0.0001 / 3) = 0.0081649658.
        // ν = (u + u)² / (u² / 2 + u² / 2) = 4 (u = 0.0001 / 3): equal spreads and sizes give
        //   n1 + n2 − 2, Student's.
        // t(0.975, 4) = 2.7764451052 (Commons Math; the printed tables' 2.776).
        // Half-width 2.7764451052 · 0.0081649658 = 0.0226695794:
        //   the interval is [−0.0726695794, −0.0273304206], wholly below 0: depthsweep is higher.
        assertEquals(2.7764451052, SeedStatistics.tQuantile(4), 1e-9);
        Interval interval = row.interval().orElseThrow();
        assertEquals(-0.0726695794, interval.low(), 1e-9);
        assertEquals(-0.0273304206, interval.high(), 1e-9);
        assertTrue(interval.excludesZero());
        assertEquals(
                "plain-50: distinguishable at these seeds: depthsweep is higher, by 5.00 points"
                        + " (95% interval of Keras − depthsweep [-7.27, -2.73], which excludes 0).",
                KerasComparison.verdict(row));
        // and the other way round: Keras higher
        Row mirrored = new Row("plain", 50, List.of(0.90, 0.91, 0.92), OURS);
        assertTrue(
                KerasComparison.verdict(mirrored).contains("Keras is higher, by 5.00 points"),
                KerasComparison.verdict(mirrored));
    }

    @Test
    void oneSeedASideHasNoIntervalAndNoneHasNoDifference() {
        Row one = new Row("residual", 50, List.of(0.90), OURS);
        assertTrue(one.interval().isEmpty());
        assertEquals(
                "residual-50: not judged yet: an interval needs 2 finished seeds a side (Keras has"
                        + " 1, depthsweep 3); the difference so far is +4.00 points.",
                KerasComparison.verdict(one));
        assertEquals(
                "residual-50: no Keras run has finished yet.",
                KerasComparison.verdict(new Row("residual", 50, List.of(), OURS)));
        assertEquals(
                "residual-50: the depthsweep run compared against has no finished residual-50.",
                KerasComparison.verdict(new Row("residual", 50, List.of(0.9, 0.91), List.of())));
    }

    @Test
    void thePageHasARowPerCellTheRunsInProgressAndTheVersions() {
        List<KerasRun> keras =
                List.of(
                        keras("plain", 12, 0, 0.80),
                        keras("plain", 12, 1, 0.82),
                        keras("plain", 12, 2, 0.84),
                        keras("residual", 50, 0, 0.90),
                        training("residual", 50, 1, 7));
        List<CellResult> ours = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            ours.add(ours("plain", 12, seed, OURS.get(seed)));
            ours.add(ours("residual", 50, seed, OURS.get(seed) + 0.05));
            ours.add(ours("plain", 50, seed, 0.5)); // Keras did not train it: no row
        }
        List<Row> rows = KerasComparison.rows(keras, ours);
        assertEquals(List.of("plain-12", "residual-50"), rows.stream().map(Row::cell).toList());
        assertEquals(List.of(0.90), rows.get(1).keras(), "the run in progress is left out");

        String md =
                KerasComparison.markdown(
                        keras, ours, TestCells.PAPER, "depthsweep keras-report X", true);
        assertTrue(
                md.contains(
                        "| plain-12 | 3 | 82.00 ± 2.00 | 3 | 86.00 ± 1.00 | -4.00 |"
                                + " [-8.16, +0.16] |\n"),
                md);
        assertTrue(
                md.contains(
                        "| residual-50 | 1 | 90.00 | 3 | 91.00 ± 1.00 | -1.00 |"
                                + " needs 2 seeds a side |\n"),
                md);
        assertTrue(md.contains("- plain-12: not distinguishable at these seeds"), md);
        assertTrue(md.contains("- residual-50: not judged yet"), md);
        assertTrue(
                md.contains("| residual-50-seed1 | training, epoch 7 of 25 | - | - | - | - |\n"),
                md);
        assertTrue(
                md.contains(
                        "| plain-12-seed0 | finished, 25 epochs | 80.00 | 1.0 h | a test CPU, 2"
                                + " cores | 2026-12-07T01:02:03Z |\n"),
                md);
        assertTrue(md.contains("(" + KerasComparison.PLOT + ")"), md);
        assertTrue(md.contains("versions (from result.json): `keras 3.0/tf 2.21`."), md);
        assertTrue(md.contains("`depthsweep keras-report X`"), md);
        assertTrue(md.contains("(the seed's protocol)"), md);
        assertFalse(md.contains("plain-50 |"), md);

        String none = KerasComparison.markdown(List.of(), ours, TestCells.PAPER, "c", false);
        assertTrue(none.contains("No Keras runs yet."), none);
        assertTrue(none.contains("versions (from result.json): none finished yet."), none);
        assertFalse(none.contains(KerasComparison.PLOT), none);
    }

    @Test
    void theChartShowsEachFrameworksMeanAndEveryKerasRun() {
        List<KerasRun> keras =
                List.of(
                        keras("plain", 50, 0, 0.80),
                        keras("plain", 50, 1, 0.82),
                        training("plain", 50, 2, 3),
                        training("residual", 50, 0, 0));
        List<CellResult> ours = List.of(ours("plain", 50, 0, 0.85), ours("plain", 50, 1, 0.87));
        XYChart chart = Plots.accuracyAgainstKeras(ours, keras);
        Map<String, XYSeries> series = chart.getSeriesMap();
        assertEquals(
                List.of(
                        "plain-50 depthsweep (mean of 2)",
                        "plain-50-seed0 Keras",
                        "plain-50-seed1 Keras",
                        "plain-50-seed2 Keras",
                        "plain-50 Keras (mean of 2)"),
                List.copyOf(series.keySet()),
                "a run without an epoch has no line; residual-50 has no depthsweep cell");
        XYSeries ourMean = series.get("plain-50 depthsweep (mean of 2)");
        XYSeries kerasMean = series.get("plain-50 Keras (mean of 2)");
        assertEquals(Plots.OUR_MEAN, ourMean.getLineStyle());
        assertEquals(Plots.KERAS_MEAN, kerasMean.getLineStyle());
        assertEquals(ourMean.getLineColor(), kerasMean.getLineColor(), "a cell, one colour");
        assertEquals(86.0, ourMean.getYData()[24], 1e-9);
        assertEquals(81.0, kerasMean.getYData()[24], 1e-9, "the run in progress is left out");
        assertEquals(25, kerasMean.getXData().length);
        XYSeries inProgress = series.get("plain-50-seed2 Keras");
        assertEquals(3, inProgress.getXData().length);
        assertFalse(inProgress.isShowInLegend());
        assertEquals(Plots.ONE_RUN, inProgress.getLineStyle());
        assertEquals(
                List.of("plain-50 depthsweep (mean of 2)", "plain-50 Keras (mean of 2)"),
                series.values().stream()
                        .filter(XYSeries::isShowInLegend)
                        .map(XYSeries::getName)
                        .toList());
    }

    /** A finished Keras run whose test accuracy climbs to {@code last} at epoch 25; one hour. */
    static KerasRun keras(String variant, int depth, int seed, double last) {
        List<KerasRun.Epoch> epochs = new ArrayList<>();
        for (int epoch = 1; epoch <= 25; epoch++) {
            epochs.add(new KerasRun.Epoch(epoch, epoch == 25 ? last : last * epoch / 25));
        }
        return new KerasRun(
                Path.of(variant + "-" + depth + "-seed" + seed),
                variant,
                depth,
                seed,
                epochs,
                new KerasRun.Result(
                        "keras",
                        "keras 3.0/tf 2.21",
                        variant,
                        depth,
                        seed,
                        25,
                        last,
                        3600.0,
                        "a test CPU, 2 cores",
                        "2026-12-07T01:02:03Z"));
    }

    /** A Keras run still training, after {@code epochs} epochs. */
    static KerasRun training(String variant, int depth, int seed, int epochs) {
        List<KerasRun.Epoch> done = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            done.add(new KerasRun.Epoch(epoch, 0.5));
        }
        return new KerasRun(
                Path.of(variant + "-" + depth + "-seed" + seed), variant, depth, seed, done, null);
    }

    /** A finished depthsweep cell of 25 epochs, climbing to {@code last}. */
    static CellResult ours(String variant, int depth, int seed, double last) {
        List<EpochResult> epochs = new ArrayList<>();
        for (int epoch = 1; epoch <= 25; epoch++) {
            double accuracy = epoch == 25 ? last : last * epoch / 25;
            epochs.add(new EpochResult(epoch, 0.5, 0.8, 0.4, accuracy, null, 60, 1000, null, null));
        }
        return TestCells.cell(
                variant, depth, seed, TestCells.PAPER, epochs, TestCells.NO_NORMS, List.of());
    }
}
