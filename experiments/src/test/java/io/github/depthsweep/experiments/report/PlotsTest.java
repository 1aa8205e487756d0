package io.github.depthsweep.experiments.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;

class PlotsTest {

    @Test
    void movingAverageTakesTheWindowBeforeEachValueAndFewerAtTheStart() {
        assertArrayEquals(
                new double[] {2, 3, 5, 7, 9},
                Plots.movingAverage(new double[] {2, 4, 6, 8, 10}, 2),
                1e-12);
        assertArrayEquals(new double[] {1, 5}, Plots.movingAverage(new double[] {1, 5}, 1), 1e-12);
    }

    @Test
    void accuracyPerEpochNamesEachVariantAndDepthOnceAndDashesAsTrained() {
        List<CellResult> cells =
                List.of(cell("plain", 50, 0), cell("plain", 12, 1), cell("plain", 12, 0));
        XYChart chart = Plots.accuracyByEpoch(cells);
        assertEquals(6, chart.getSeriesMap().size(), "two lines a cell");
        List<String> legend =
                chart.getSeriesMap().values().stream()
                        .filter(XYSeries::isShowInLegend)
                        .map(XYSeries::getLabel)
                        .toList();
        assertEquals(List.of("plain-12", "plain-50"), legend, "by depth, seeds once");
        XYSeries asTrained = chart.getSeriesMap().get("plain-12-seed1 as trained");
        XYSeries precise = chart.getSeriesMap().get("plain-12-seed1 precise BN");
        assertEquals(SeriesLines.DASH_DASH, asTrained.getLineStyle());
        assertEquals(precise.getLineColor(), asTrained.getLineColor(), "a cell, one colour");
        assertEquals(
                precise.getLineColor(),
                chart.getSeriesMap().get("plain-12-seed0 precise BN").getLineColor(),
                "seeds of a cell share its colour");
    }

    @Test
    void accuracyByDepthDrawsTheSeedOnlyOnItsOwnMeasureAndBarsFromMinToMax() {
        List<CellResult> cells =
                List.of(cell("plain", 12, 0), cell("plain", 12, 1, 0.04), cell("plain", 50, 0));
        XYChart asTrained = Plots.accuracyByDepth(cells, Measure.AS_TRAINED);
        XYChart precise = Plots.accuracyByDepth(cells, Measure.PRECISE_BN);
        assertTrue(asTrained.getSeriesMap().containsKey("plain (seed, one run)"));
        assertFalse(
                precise.getSeriesMap().keySet().stream().anyMatch(name -> name.contains("seed")),
                "the seed measured as trained only");
        assertTrue(precise.getTitle().contains("after precise BN"), precise.getTitle());
        // plain-12 as trained: seeds at 50% and 54%, mean 52; plain-50 alone, no bar
        assertArrayEquals(
                new double[] {50, 54},
                asTrained.getSeriesMap().get("plain-12 min-max").getYData(),
                1e-9);
        assertArrayEquals(
                new double[] {52, 50},
                asTrained.getSeriesMap().get("plain (ours)").getYData(),
                1e-9);
        assertFalse(asTrained.getSeriesMap().containsKey("plain-50 min-max"));
    }

    @Test
    void everyTitleFitsItsChart() {
        // XChart centres the title over the plot (the chart less its y axis, about 80 px here) and
        // cuts off, without a warning, what does not fit: the precise-BN chart once lost its end
        List<CellResult> cells = List.of(cell("plain", 12, 0), cell("residual", 50, 1, 0.04));
        List<XYChart> charts =
                new ArrayList<>(
                        List.of(
                                Plots.accuracyByEpoch(cells),
                                Plots.firstStageGradients(cells),
                                Plots.gradientNorms(cells.get(1))));
        for (Measure measure : Measure.values()) {
            charts.add(Plots.accuracyByDepth(cells, measure));
            charts.add(Plots.accuracyOverSeeds(cells, measure));
        }
        Graphics2D graphics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        for (XYChart chart : charts) {
            FontMetrics metrics = graphics.getFontMetrics(chart.getStyler().getChartTitleFont());
            int width = metrics.stringWidth(chart.getTitle());
            assertTrue(
                    width <= chart.getWidth() - 100,
                    chart.getTitle() + ": " + width + " px in a " + chart.getWidth() + " px chart");
        }
    }

    @Test
    void accuracyOverSeedsDrawsTheMeanInABandFromTheLowestSeedToTheHighest() {
        List<CellResult> cells =
                List.of(cell("plain", 12, 0), cell("plain", 12, 1, 0.04), cell("plain", 50, 0));
        XYChart chart = Plots.accuracyOverSeeds(cells, Measure.AS_TRAINED);
        assertTrue(chart.getTitle().contains("min to max (band)"), chart.getTitle());
        // as trained, epoch 1: 40% and 44%, epoch 2: 50% and 54%
        assertArrayEquals(
                new double[] {42, 52},
                chart.getSeriesMap().get("plain-12 (n = 2)").getYData(),
                1e-9);
        XYSeries band = chart.getSeriesMap().get("plain-12 min-max");
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, band.getXYSeriesRenderStyle());
        assertArrayEquals(new double[] {1, 2, 2, 1}, band.getXData(), 1e-9);
        assertArrayEquals(new double[] {44, 54, 50, 40}, band.getYData(), 1e-9);
        assertFalse(chart.getSeriesMap().containsKey("plain-50 min-max"), "one seed, no band");
        assertTrue(chart.getSeriesMap().containsKey("plain-50 (n = 1)"));
    }

    @Test
    void cellColoursGetPalerTheShallowerAndKeepTheDeepestAtTheVariantsColour() {
        List<Integer> depths = List.of(12, 20, 32, 50);
        Color deepest = Plots.cellColor(cell("plain", 50, 0), depths);
        Color shallowest = Plots.cellColor(cell("plain", 12, 0), depths);
        assertEquals(new Color(0x1F77B4), deepest);
        assertEquals(
                Plots.cellColor(cell("plain", 50, 0), List.of(50)), deepest, "alone: full colour");
        assertNotEquals(deepest, shallowest);
        // Paler is closer to white: every channel at least as high.
        assertTrue(shallowest.getBlue() >= deepest.getBlue());
        assertTrue(shallowest.getRed() > deepest.getRed());
        assertNotEquals(
                Plots.cellColor(cell("residual", 50, 0), depths), deepest, "variants differ");
    }

    private static CellResult cell(String variant, int depth, int seed) {
        return cell(variant, depth, seed, 0);
    }

    /** Two epochs, as trained 40% then 50% and after precise BN 60% then 70%, plus {@code up}. */
    private static CellResult cell(String variant, int depth, int seed, double up) {
        List<EpochResult> epochs =
                List.of(
                        new EpochResult(1, 1, 0.5, 1, 0.40 + up, 0.60 + up, 10, 100, null, null),
                        new EpochResult(2, 1, 0.6, 1, 0.50 + up, 0.70 + up, 10, 100, null, null));
        return TestCells.cell(
                variant, depth, seed, TestCells.PAPER, epochs, TestCells.NO_NORMS, List.of());
    }
}
