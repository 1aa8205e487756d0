package io.github.depthsweep.experiments.report;

import io.github.depthsweep.core.io.AtomicFiles;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.GradientNorms;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a sweep's plots as PNG: accuracy against depth, test accuracy per epoch, and the per-stage
 * gradient norms of the deepest plain and residual nets.
 */
public final class Plots {

    /** One colour per variant, so that ours and the seed's line of a variant match. */
    private static final Map<String, Color> COLORS =
            Map.of(
                    "plain", new Color(0x1F77B4),
                    "residual", new Color(0x2CA02C),
                    "resnetv1", new Color(0x9467BD));

    private Plots() {}

    /**
     * Writes every plot into {@code folder}.
     *
     * @param results the recorded cells
     * @param folder where to write
     * @throws IOException if a file cannot be written
     */
    public static void write(List<CellResult> results, Path folder) throws IOException {
        List<CellResult> finished = results.stream().filter(CellResult::finished).toList();
        if (finished.isEmpty()) {
            return;
        }
        save(accuracyByDepth(finished), folder.resolve("accuracy_vs_depth.png"));
        save(accuracyByEpoch(finished), folder.resolve("accuracy_per_epoch.png"));
        for (String variant : List.of("plain", "residual")) {
            Optional<CellResult> deepest =
                    finished.stream()
                            .filter(r -> r.variant().equals(variant))
                            .max(
                                    Comparator.comparingInt(CellResult::depth)
                                            .thenComparing(r -> -r.seed()));
            if (deepest.isPresent() && !deepest.get().gradientNorms().steps().isEmpty()) {
                save(
                        gradientNorms(deepest.get()),
                        folder.resolve("gradient_norms_" + variant + ".png"));
            }
        }
    }

    /** Accuracy (mean over seeds, error bars one standard deviation) against depth. */
    static XYChart accuracyByDepth(List<CellResult> results) {
        boolean precise = results.stream().anyMatch(r -> r.finalPreciseBnAccuracy() != null);
        XYChart chart =
                chart(
                        "Test accuracy vs depth"
                                + (precise ? " (after precise BN)" : " (as trained)"),
                        "depth (2x2 convolutions)",
                        "test accuracy (%)");
        for (Map.Entry<String, List<CellResult>> variant :
                ResultsTable.byVariant(results).entrySet()) {
            Map<Integer, List<Double>> byDepth = new TreeMap<>();
            for (CellResult r : variant.getValue()) {
                byDepth.computeIfAbsent(r.depth(), d -> new ArrayList<>())
                        .add(100 * r.headlineAccuracy());
            }
            double[] x = new double[byDepth.size()];
            double[] y = new double[byDepth.size()];
            double[] spread = new double[byDepth.size()];
            int i = 0;
            for (Map.Entry<Integer, List<Double>> depth : byDepth.entrySet()) {
                List<Double> values = depth.getValue();
                double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                x[i] = depth.getKey();
                y[i] = mean;
                spread[i] =
                        Math.sqrt(
                                values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum()
                                        / Math.max(1, values.size() - 1));
                i++;
            }
            Color color = COLORS.getOrDefault(variant.getKey(), Color.GRAY);
            XYSeries ours = chart.addSeries(variant.getKey() + " (ours)", x, y, spread);
            ours.setLineColor(color);
            ours.setMarkerColor(color);
            Map<Integer, Double> seed = ResultsTable.SEED.get(variant.getKey());
            if (seed != null) {
                double[] seedX = seed.keySet().stream().sorted().mapToDouble(d -> d).toArray();
                double[] seedY =
                        seed.keySet().stream()
                                .sorted()
                                .mapToDouble(d -> 100 * seed.get(d))
                                .toArray();
                XYSeries series =
                        chart.addSeries(variant.getKey() + " (seed, 25 epochs)", seedX, seedY);
                series.setLineStyle(SeriesLines.DASH_DASH);
                series.setLineColor(color);
                series.setMarkerColor(color);
            }
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        return chart;
    }

    /** Test accuracy after every epoch, one line per cell (dashed: as trained). */
    static XYChart accuracyByEpoch(List<CellResult> results) {
        XYChart chart = chart("Test accuracy per epoch", "epoch", "test accuracy (%)");
        for (CellResult r : results) {
            double[] x = r.epochs().stream().mapToDouble(EpochResult::epoch).toArray();
            double[] asTrained =
                    r.epochs().stream().mapToDouble(e -> 100 * e.testAccuracy()).toArray();
            boolean precise = r.epochs().stream().allMatch(e -> e.preciseBnTestAccuracy() != null);
            if (precise) {
                double[] y =
                        r.epochs().stream()
                                .mapToDouble(e -> 100 * e.preciseBnTestAccuracy())
                                .toArray();
                chart.addSeries(r.id() + " precise BN", x, y);
            }
            XYSeries series =
                    chart.addSeries(r.id() + (precise ? " as trained" : ""), x, asTrained);
            if (precise) {
                series.setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        return chart;
    }

    /** Gradient L2 norm per stage over training steps, log scale. */
    static XYChart gradientNorms(CellResult r) {
        XYChart chart = chart("Gradient norm per stage: " + r.id(), "step", "gradient L2 norm");
        GradientNorms norms = r.gradientNorms();
        double[] steps = norms.steps().stream().mapToDouble(Integer::doubleValue).toArray();
        for (int part = 0; part < norms.parts().size(); part++) {
            int column = part;
            // log axes cannot show 0: a vanished gradient is drawn at the axis floor
            double[] y =
                    norms.norms().stream()
                            .mapToDouble(row -> Math.max(row[column], 1e-12))
                            .toArray();
            chart.addSeries(norms.parts().get(part), steps, y).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart =
                new XYChartBuilder()
                        .width(900)
                        .height(600)
                        .title(title)
                        .xAxisTitle(x)
                        .yAxisTitle(y)
                        .build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        return chart;
    }

    private static void save(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG));
    }
}
