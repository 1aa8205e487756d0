package io.github.depthsweep.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.experiments.report.SeedStatistics.Interval;
import io.github.depthsweep.experiments.report.SeedStatistics.Summary;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedStatisticsTest {

    @TempDir Path dir;

    @Test
    void tQuantilesMatchTheClosedForms() {
        // With 2 degrees of freedom the t CDF is 1/2 + t / (2 sqrt(t² + 2)), so t(0.975) solves
        // t / sqrt(t² + 2) = 0.95: t² = 2 · 0.9025 / 0.0975 = 18.5128..., t = 4.302652729749...
        assertEquals(4.302652729749464, SeedStatistics.tQuantile(2), 1e-8);
        // With 1 it is Cauchy's: t(0.975) = tan(π (0.975 - 1/2)) = tan(0.475 π) = 12.7062...
        assertEquals(12.706204736174696, SeedStatistics.tQuantile(1), 1e-7);
    }

    @Test
    void predictionIntervalOfThreeSeeds() {
        Summary summary = Summary.of(List.of(0.80, 0.82, 0.84));
        assertEquals(3, summary.n());
        assertEquals(0.82, summary.mean(), 1e-12);
        assertEquals(0.02, summary.sd(), 1e-12, "n - 1 in the denominator");
        assertEquals(0.80, summary.min());
        assertEquals(0.84, summary.max());
        // mean ± t(0.975, 2) · sd · sqrt(1 + 1/3) = 0.82 ± 4.3026527 · 0.02 · 1.1547005
        //                                         = 0.82 ± 0.0993655085
        Interval interval = summary.predictionInterval().orElseThrow();
        assertEquals(0.7206344915, interval.low(), 1e-9);
        assertEquals(0.9193655085, interval.high(), 1e-9);
        assertEquals("inside", SeedStatistics.mark(Optional.of(interval), 0.90));
        assertEquals("**outside**", SeedStatistics.mark(Optional.of(interval), 0.72));
    }

    @Test
    void twoSeedsGetAWideIntervalAndOneSeedNone() {
        // n = 2: 0.87 ± t(0.975, 1) · 0.0141421 · sqrt(1.5) = 0.87 ± 12.7062047 · 0.0173205
        //      = 0.87 ± 0.2200779, whose upper end 1.0900779 is clipped to 1: no accuracy is higher
        Interval two = Summary.of(List.of(0.86, 0.88)).predictionInterval().orElseThrow();
        assertEquals(0.6499221, two.low(), 1e-6);
        assertEquals(1.0, two.high());
        assertEquals("inside", SeedStatistics.mark(Optional.of(two), 1.0));
        // and at the other end: 0.03 ± 0.2200779 from 0.02 and 0.04 is clipped to 0 below
        Interval low = Summary.of(List.of(0.02, 0.04)).predictionInterval().orElseThrow();
        assertEquals(0.0, low.low());
        assertEquals(0.2500779, low.high(), 1e-6);

        Summary one = Summary.of(List.of(0.5));
        assertEquals(0.0, one.sd(), "one seed: no spread, and not NaN");
        assertTrue(one.predictionInterval().isEmpty());
        assertEquals("no interval", SeedStatistics.mark(one.predictionInterval(), 0.5));
        assertTrue(SeedStatistics.welch(one, Summary.of(List.of(0.86, 0.88))).isEmpty());
    }

    @Test
    void welchIntervalOfTheGap() {
        Summary plain = Summary.of(List.of(0.20, 0.30, 0.25));
        Summary residual = Summary.of(List.of(0.86, 0.88));
        // va = 0.0025 / 3 = 8.333e-4, vb = 0.0002 / 2 = 1e-4;
        // ν = (va + vb)² / (va² / 2 + vb² / 1) = 8.7111e-7 / 3.5722e-7 = 2.4385692;
        // t(0.975, 2.4385692) = 3.6399131 (scipy.stats.t.ppf); half = 3.6399131 · sqrt(9.333e-4)
        // = 0.1112012; the gap 0.87 - 0.25 = 0.62.
        Interval gap = SeedStatistics.welch(plain, residual).orElseThrow();
        assertEquals(0.5087988171, gap.low(), 1e-8);
        assertEquals(0.7312011829, gap.high(), 1e-8);
        assertTrue(gap.excludesZero());

        // The same spreads around a gap of 0.02: the interval [-0.0912, 0.1312] holds 0.
        Interval small =
                SeedStatistics.welch(Summary.of(List.of(0.80, 0.90, 0.85)), residual).orElseThrow();
        assertEquals(-0.0912011829, small.low(), 1e-8);
        assertEquals(0.1312011829, small.high(), 1e-8);
        assertFalse(small.excludesZero());
    }

    @Test
    void verdictSaysFromWhichDepthOnTheGapIsRealAndWhatWasNotJudged() {
        Optional<Interval> none = Optional.empty();
        Optional<Interval> holdsZero = Optional.of(new Interval(-0.01, 0.02));
        Optional<Interval> positive = Optional.of(new Interval(0.01, 0.05));
        assertEquals(
                "As trained, the gap is distinguishable from zero (its 95% interval excludes 0)"
                        + " from depth 32 on.",
                SeedStatistics.verdict(
                        Measure.AS_TRAINED,
                        Map.of(12, holdsZero, 20, holdsZero, 32, positive, 50, positive)));
        assertEquals(
                "After precise BN, the gap's 95% interval excludes 0 at depth 12, not at depth 20."
                        + " Not judged yet (one seed of a variant): depth 32, 50.",
                SeedStatistics.verdict(
                        Measure.PRECISE_BN,
                        Map.of(12, positive, 20, holdsZero, 32, none, 50, none)),
                "no claim reaches past a depth that was not judged");
        assertEquals(
                "After precise BN, the gap is distinguishable from zero (its 95% interval excludes"
                        + " 0) from depth 50 on, and at depth 12. Not judged yet (one seed of a"
                        + " variant): depth 20, 32.",
                SeedStatistics.verdict(
                        Measure.PRECISE_BN, Map.of(12, positive, 20, none, 32, none, 50, positive)),
                "a shallower depth that excludes 0 is named, not hidden behind 'from depth 50 on'");
        assertEquals(
                "As trained, no depth has two seeds of each variant yet.",
                SeedStatistics.verdict(Measure.AS_TRAINED, Map.of(12, none, 50, none)));
    }

    @Test
    void reportMarksTheTutorialsFigureAndSaysWhereThereIsNoInterval() {
        List<CellResult> results = new ArrayList<>();
        for (double accuracy : new double[] {0.86, 0.88, 0.90}) {
            results.add(TestCells.cell("plain", 12, results.size(), accuracy));
        }
        for (double accuracy : new double[] {0.850, 0.852, 0.854}) {
            results.add(TestCells.cell("residual", 12, results.size(), accuracy));
        }
        results.add(TestCells.cell("plain", 50, 0, 0.5));
        String md = SeedStatistics.markdown(results);
        // plain-12: 0.88 ± 4.3026527 · 0.02 · 1.1547005: 78.06 - 97.94 holds the tutorial's 88.09
        assertTrue(
                md.contains("| plain-12 | 3 | 86.00 – 90.00 | 78.06 – 97.94 | 88.09 | inside |"),
                md);
        // residual-12: 0.852 ± 4.3026527 · 0.002 · 1.1547005: 84.21 - 86.19 misses 89.43
        assertTrue(
                md.contains(
                        "| residual-12 | 3 | 85.00 – 85.40 | 84.21 – 86.19 | 89.43 | **outside** |"),
                md);
        assertTrue(
                md.contains("| plain-50 | 1 | 50.00 | none (one seed) | 23.74 | no interval |"),
                md);
        // The gap at 12: 0.852 - 0.88; at 50 no residual ran.
        assertTrue(md.contains("| 12 | -2.80 ["), md);
        assertTrue(md.contains("| 50 | - |"), md);
        assertFalse(md.contains("NaN"), md);
        assertFalse(md.contains("after precise BN"), "not measured, not shown");
        assertTrue(md.contains("(t(1) = 12.71); three narrow them (t(2) = 4.30)"), md);

        Protocol quick =
                new Protocol("fashion-mnist", 2, 150, 1e-4f, 1e-6f, 15_000, 5_000, 50, "adam");
        List<CellResult> shortRun =
                results.stream()
                        .map(
                                r ->
                                        TestCells.cell(
                                                r.variant(),
                                                r.depth(),
                                                r.seed(),
                                                quick,
                                                r.epochs(),
                                                TestCells.NO_NORMS,
                                                List.of()))
                        .toList();
        assertFalse(
                SeedStatistics.markdown(shortRun).contains("tutorial's |"),
                "only the tutorial's protocol compares with its figures");
    }

    @Test
    void severalSeedsWriteTheReportThePlotsAndTheirLinks() throws IOException {
        List<CellResult> results = new ArrayList<>();
        results.add(precise("plain", 12, 0, 0.80));
        results.add(precise("plain", 12, 1, 0.84));
        results.add(precise("residual", 12, 0, 0.86));
        Reports.write(results, dir);
        assertTrue(Files.exists(dir.resolve(SeedStatistics.FILE)));
        String md = Files.readString(dir.resolve("results.md"));
        assertTrue(md.contains("[seeds.md](seeds.md)"), md);
        for (Measure measure : Measure.values()) {
            for (String file :
                    List.of(
                            Plots.PerMeasure.BY_DEPTH.file(measure),
                            Plots.PerMeasure.OVER_SEEDS.file(measure))) {
                assertTrue(Files.size(dir.resolve(file)) > 0, file);
                assertTrue(md.contains("](" + file + ")"), file + " shown in results.md");
            }
        }
        assertTrue(
                Files.readString(dir.resolve(SeedStatistics.FILE))
                        .contains("](accuracy_vs_depth_precise_bn.png)"));
    }

    @Test
    void oneSeedPerCellWritesNeitherTheReportNorItsPlots() throws IOException {
        List<CellResult> results =
                List.of(precise("plain", 12, 0, 0.80), precise("residual", 12, 0, 0.86));
        Reports.write(results, dir);
        assertFalse(Files.exists(dir.resolve(SeedStatistics.FILE)));
        assertFalse(
                Files.exists(dir.resolve(Plots.PerMeasure.OVER_SEEDS.file(Measure.AS_TRAINED))));
        assertTrue(Files.exists(dir.resolve(Plots.PerMeasure.BY_DEPTH.file(Measure.PRECISE_BN))));
        String md = Files.readString(dir.resolve("results.md"));
        assertFalse(md.contains("seeds.md"), md);
        assertTrue(md.contains("](accuracy_vs_depth.png)"), md);
    }

    /** A cell of two epochs, measured as trained and after precise BN (one point above). */
    private static CellResult precise(String variant, int depth, int seed, double accuracy) {
        List<EpochResult> epochs =
                List.of(
                        new EpochResult(
                                1, 1, 0.5, 1, accuracy - 0.1, accuracy - 0.09, 10, 100, null, null),
                        new EpochResult(
                                2, 1, 0.6, 1, accuracy, accuracy + 0.01, 10, 100, null, null));
        return TestCells.cell(
                variant, depth, seed, TestCells.PAPER, epochs, TestCells.NO_NORMS, List.of());
    }
}
