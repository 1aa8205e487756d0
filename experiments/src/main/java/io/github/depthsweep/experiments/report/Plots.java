package io.github.depthsweep.experiments.report;

import io.github.depthsweep.core.io.AtomicFiles;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.GradientNorms;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a sweep's plots as PNG: accuracy against depth (as trained and after precise BN, each with
 * the spread over seeds), test accuracy per epoch (every cell, and where cells ran with several
 * seeds, their mean in a band), the per-stage gradient norms of the deepest plain and residual
 * nets, and the first stage's gradient norm of every cell side by side; and for {@link
 * KerasComparison}, test accuracy per epoch against the seed's own Keras code.
 */
public final class Plots {

    /** The first stage's gradient-norm plot, which compares the cells. */
    public static final String FIRST_STAGE_GRADIENTS = "gradient_norms_stage1.png";

    /** One colour per variant, so that ours and the seed's line of a variant match. */
    private static final Map<String, Color> COLORS =
            Map.of(
                    "plain", new Color(0x1F77B4),
                    "residual", new Color(0x2CA02C),
                    "resnetv1", new Color(0x9467BD));

    /** In {@link #accuracyAgainstKeras}: depthsweep's mean over its seeds, a thick solid line. */
    static final BasicStroke OUR_MEAN =
            new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);

    /** In {@link #accuracyAgainstKeras}: the mean of the Keras runs, thick and dashed. */
    static final BasicStroke KERAS_MEAN =
            new BasicStroke(
                    2.5f,
                    BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_ROUND,
                    10f,
                    new float[] {9f, 6f},
                    0f);

    /** In {@link #accuracyAgainstKeras}: one Keras run, thin and dotted. */
    static final BasicStroke ONE_RUN =
            new BasicStroke(
                    1f,
                    BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_ROUND,
                    10f,
                    new float[] {2f, 3f},
                    0f);

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
        for (Measure measure : Measure.values()) {
            if (finished.stream().anyMatch(r -> measure.finalAccuracy(r) != null)) {
                save(
                        accuracyByDepth(finished, measure),
                        folder.resolve(PerMeasure.BY_DEPTH.file(measure)));
            }
        }
        save(accuracyByEpoch(finished), folder.resolve("accuracy_per_epoch.png"));
        if (SeedStatistics.severalSeeds(finished)) {
            for (Measure measure : Measure.values()) {
                if (finished.stream().anyMatch(measure::everyEpoch)) {
                    save(
                            accuracyOverSeeds(finished, measure),
                            folder.resolve(PerMeasure.OVER_SEEDS.file(measure)));
                }
            }
        }
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
        if (finished.stream().anyMatch(Plots::hasFirstStage)) {
            save(firstStageGradients(finished), folder.resolve(FIRST_STAGE_GRADIENTS));
        }
    }

    /**
     * Whether a cell recorded its first stage's gradient norms (the seed's nets do).
     *
     * @param r a cell
     * @return {@code true} if there is a {@code stage1} column with samples
     */
    static boolean hasFirstStage(CellResult r) {
        return r.gradientNorms().parts().contains("stage1") && !r.gradientNorms().steps().isEmpty();
    }

    /** The charts drawn once per {@link Measure}: their files, and how Markdown shows them. */
    enum PerMeasure {
        /** {@link #accuracyByDepth}. */
        BY_DEPTH("accuracy_vs_depth", "Test accuracy against depth"),
        /** {@link #accuracyOverSeeds}. */
        OVER_SEEDS("accuracy_per_epoch_over_seeds", "Test accuracy per epoch over seeds");

        private final String name;
        private final String title;

        PerMeasure(String name, String title) {
            this.name = name;
            this.title = title;
        }

        /**
         * Returns the chart's file for a measure.
         *
         * @param measure the measure
         * @return e.g. {@code accuracy_vs_depth.png} as trained
         */
        String file(Measure measure) {
            return name + measure.fileSuffix + ".png";
        }

        /**
         * Shows the chart in Markdown.
         *
         * @param measure the measure
         * @return the image link
         */
        String link(Measure measure) {
            return String.format("![%s, %s](%s)", title, measure.label, file(measure));
        }
    }

    /**
     * Final accuracy against depth on one measure: ours as the mean over seeds with a bar from the
     * lowest seed to the highest (the bars are the spread we saw, not an interval), and, as trained
     * under the seed's protocol, the seed's own runs dashed beside them. The seed measured only as
     * trained, so the precise-BN chart has no seed line: a figure is drawn only beside its kind.
     */
    static XYChart accuracyByDepth(List<CellResult> results, Measure measure) {
        boolean withSeed =
                measure == Measure.AS_TRAINED
                        && results.stream()
                                .map(CellResult::protocol)
                                .allMatch(ResultsTable::isPaperProtocol);
        XYChart chart =
                chart(
                        "Final test accuracy vs depth, "
                                + measure.label
                                + (withSeed ? "" : " (ours only)")
                                + ": mean over seeds, bars min to max",
                        "depth (2x2 convolutions)",
                        "test accuracy (%)");
        for (Map.Entry<String, Map<Integer, List<Double>>> variant :
                SeedStatistics.byVariantAndDepth(results, measure::finalAccuracy).entrySet()) {
            Color color = COLORS.getOrDefault(variant.getKey(), Color.GRAY);
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Map.Entry<Integer, List<Double>> depth : variant.getValue().entrySet()) {
                if (depth.getValue().isEmpty()) {
                    continue;
                }
                SeedStatistics.Summary summary = SeedStatistics.Summary.of(depth.getValue());
                x.add((double) depth.getKey());
                y.add(100 * summary.mean());
                if (summary.max() > summary.min()) {
                    // XChart's error bars are symmetric; min to max need not be, so each bar is a
                    // short vertical line of its own.
                    XYSeries bar =
                            chart.addSeries(
                                    variant.getKey() + "-" + depth.getKey() + " min-max",
                                    new double[] {depth.getKey(), depth.getKey()},
                                    new double[] {100 * summary.min(), 100 * summary.max()});
                    bar.setLineColor(color);
                    bar.setMarkerColor(color);
                    bar.setMarker(SeriesMarkers.DIAMOND);
                    bar.setLineStyle(SeriesLines.SOLID);
                    bar.setShowInLegend(false);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries ours = chart.addSeries(variant.getKey() + " (ours)", x, y);
            ours.setLineColor(color);
            ours.setMarkerColor(color);
            ours.setMarker(SeriesMarkers.CIRCLE);
            ours.setLineStyle(SeriesLines.SOLID);
            Map<Integer, Double> seed = ResultsTable.KERAS_TUTORIAL.get(variant.getKey());
            if (withSeed && seed != null) {
                double[] seedX = seed.keySet().stream().sorted().mapToDouble(d -> d).toArray();
                double[] seedY =
                        seed.keySet().stream()
                                .sorted()
                                .mapToDouble(d -> 100 * seed.get(d))
                                .toArray();
                XYSeries series =
                        chart.addSeries(variant.getKey() + " (seed, one run)", seedX, seedY);
                series.setLineStyle(SeriesLines.DASH_DASH);
                series.setLineColor(color);
                series.setMarkerColor(color);
                series.setMarker(SeriesMarkers.SQUARE);
            }
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        return chart;
    }

    /**
     * Test accuracy per epoch on one measure, one line per variant and depth: the mean over its
     * seeds, in a band from the lowest seed to the highest. Where every cell has its own lines
     * ({@link #accuracyByEpoch}), several seeds make a tangle; this shows the spread instead.
     */
    static XYChart accuracyOverSeeds(List<CellResult> results, Measure measure) {
        XYChart chart =
                chart(
                        "Test accuracy per epoch, "
                                + measure.label
                                + ": mean over seeds (line), min to max (band)",
                        "epoch",
                        "test accuracy (%)");
        List<CellResult> cells = results.stream().filter(measure::everyEpoch).toList();
        List<Integer> depths = depths(cells);
        Map<String, List<CellResult>> byCell = new TreeMap<>();
        for (CellResult r : inLegendOrder(cells)) {
            byCell.computeIfAbsent(
                            String.format("%s-%03d", r.variant(), r.depth()),
                            key -> new ArrayList<>())
                    .add(r);
        }
        for (List<CellResult> seeds : byCell.values()) {
            Map<Integer, List<Double>> byEpoch = new TreeMap<>();
            for (CellResult r : seeds) {
                for (EpochResult e : r.epochs()) {
                    byEpoch.computeIfAbsent(e.epoch(), k -> new ArrayList<>())
                            .add(100 * measure.epochAccuracy(e));
                }
            }
            List<Double> epochs = new ArrayList<>();
            List<Double> mean = new ArrayList<>();
            List<Double> low = new ArrayList<>();
            List<Double> high = new ArrayList<>();
            for (Map.Entry<Integer, List<Double>> epoch : byEpoch.entrySet()) {
                SeedStatistics.Summary summary = SeedStatistics.Summary.of(epoch.getValue());
                epochs.add((double) epoch.getKey());
                mean.add(summary.mean());
                low.add(summary.min());
                high.add(summary.max());
            }
            CellResult first = seeds.get(0);
            Color color = cellColor(first, depths);
            String label = first.variant() + "-" + first.depth();
            if (seeds.size() > 1) {
                // The band: along the highest seed, then back along the lowest.
                List<Double> bandX = new ArrayList<>(epochs);
                List<Double> bandY = new ArrayList<>(high);
                for (int i = epochs.size() - 1; i >= 0; i--) {
                    bandX.add(epochs.get(i));
                    bandY.add(low.get(i));
                }
                XYSeries band = chart.addSeries(label + " min-max", bandX, bandY);
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 60));
                band.setLineColor(new Color(0, 0, 0, 0));
                band.setMarker(SeriesMarkers.NONE);
                band.setShowInLegend(false);
            }
            line(
                            chart,
                            label + " (n = " + seeds.size() + ")",
                            toArray(epochs),
                            toArray(mean),
                            color)
                    .setMarker(SeriesMarkers.NONE)
                    .setLineStyle(SeriesLines.SOLID);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        return chart;
    }

    /**
     * Test accuracy per epoch, depthsweep against the seed's own Keras code, for every variant and
     * depth that Keras trained: a colour per variant and depth (as in {@link #cellColor}), solid
     * for depthsweep's mean over its finished seeds, dashed for the mean of the finished Keras
     * runs, and a thin dotted line for each Keras run, runs still training included.
     *
     * @param ours depthsweep's cells
     * @param keras the Keras runs
     * @return the chart; without series where there is nothing to draw
     */
    static XYChart accuracyAgainstKeras(List<CellResult> ours, List<KerasRun> keras) {
        XYChart chart =
                chart(
                        "Test accuracy per epoch: depthsweep (solid) against Keras (dashed;"
                                + " dotted: each Keras run)",
                        "epoch",
                        "test accuracy (%)");
        Map<String, Map<Integer, List<KerasRun>>> cells = KerasRun.byCell(keras);
        List<Integer> depths = keras.stream().map(KerasRun::depth).distinct().sorted().toList();
        for (Map.Entry<String, Map<Integer, List<KerasRun>>> variant : cells.entrySet()) {
            for (Map.Entry<Integer, List<KerasRun>> depth : variant.getValue().entrySet()) {
                String cell = variant.getKey() + "-" + depth.getKey();
                Color color = cellColor(variant.getKey(), depth.getKey(), depths);
                List<CellResult> seeds =
                        ours.stream()
                                .filter(CellResult::finished)
                                .filter(r -> r.variant().equals(variant.getKey()))
                                .filter(r -> r.depth() == depth.getKey())
                                .toList();
                Map<Integer, List<Double>> oursByEpoch = new TreeMap<>();
                for (CellResult r : seeds) {
                    for (EpochResult e : r.epochs()) {
                        oursByEpoch
                                .computeIfAbsent(e.epoch(), k -> new ArrayList<>())
                                .add(e.testAccuracy());
                    }
                }
                meanLine(
                        chart,
                        cell + " depthsweep (mean of " + seeds.size() + ")",
                        oursByEpoch,
                        color,
                        OUR_MEAN);
                List<KerasRun> runs =
                        depth.getValue().stream()
                                .sorted(Comparator.comparingInt(KerasRun::seed))
                                .toList();
                Map<Integer, List<Double>> kerasByEpoch = new TreeMap<>();
                long finished = runs.stream().filter(KerasRun::finished).count();
                for (KerasRun run : runs) {
                    if (run.epochs().isEmpty()) {
                        continue;
                    }
                    if (run.finished()) {
                        for (KerasRun.Epoch e : run.epochs()) {
                            kerasByEpoch
                                    .computeIfAbsent(e.epoch(), k -> new ArrayList<>())
                                    .add(e.testAccuracy());
                        }
                    }
                    XYSeries single =
                            chart.addSeries(
                                    run.id() + " Keras",
                                    run.epochs().stream()
                                            .mapToDouble(KerasRun.Epoch::epoch)
                                            .toArray(),
                                    run.epochs().stream()
                                            .mapToDouble(e -> 100 * e.testAccuracy())
                                            .toArray());
                    single.setLineColor(color);
                    single.setLineStyle(ONE_RUN);
                    single.setMarker(SeriesMarkers.NONE);
                    single.setShowInLegend(false);
                }
                meanLine(
                        chart,
                        cell + " Keras (mean of " + finished + ")",
                        kerasByEpoch,
                        color,
                        KERAS_MEAN);
            }
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        return chart;
    }

    /** A line through the mean of each epoch's accuracies, in %; none if there are none. */
    private static void meanLine(
            XYChart chart,
            String name,
            Map<Integer, List<Double>> byEpoch,
            Color color,
            BasicStroke style) {
        if (byEpoch.isEmpty()) {
            return;
        }
        double[] x = byEpoch.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] y =
                byEpoch.values().stream()
                        .mapToDouble(v -> 100 * SeedStatistics.Summary.of(v).mean())
                        .toArray();
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineStyle(style);
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Test accuracy after every epoch: a colour per cell (as in {@link #cellColor}), solid after
     * precise BN and dashed as trained. The legend names each variant and depth once; further seeds
     * of it share its colour.
     */
    static XYChart accuracyByEpoch(List<CellResult> results) {
        boolean anyPrecise = results.stream().anyMatch(Measure.PRECISE_BN::everyEpoch);
        XYChart chart =
                chart(
                        "Test accuracy per epoch"
                                + (anyPrecise
                                        ? " (solid: after precise BN, dashed: as trained)"
                                        : ""),
                        "epoch",
                        "test accuracy (%)");
        List<Integer> depths = depths(results);
        Set<String> named = new HashSet<>();
        for (CellResult r : inLegendOrder(results)) {
            Color color = cellColor(r, depths);
            double[] x = r.epochs().stream().mapToDouble(EpochResult::epoch).toArray();
            List<XYSeries> lines = new ArrayList<>();
            if (Measure.PRECISE_BN.everyEpoch(r)) {
                double[] y =
                        r.epochs().stream()
                                .mapToDouble(e -> 100 * e.preciseBnTestAccuracy())
                                .toArray();
                lines.add(line(chart, r.id() + " precise BN", x, y, color));
            }
            double[] y = r.epochs().stream().mapToDouble(e -> 100 * e.testAccuracy()).toArray();
            XYSeries asTrained = line(chart, r.id() + " as trained", x, y, color);
            if (!lines.isEmpty()) {
                asTrained.setLineStyle(SeriesLines.DASH_DASH);
            }
            lines.add(asTrained);
            // One legend entry per variant and depth: its first line, named without the seed.
            String label = r.variant() + "-" + r.depth();
            lines.forEach(series -> series.setShowInLegend(false));
            if (named.add(label)) {
                lines.get(0).setShowInLegend(true).setLabel(label);
            }
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
        return series;
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

    /**
     * The gradient norm of the first stage, the one farthest from the loss, over training: one line
     * per cell, blue for plain and green for residual nets, paler the shallower ({@link
     * #cellColor}). Where a plain net stops learning with depth, this is the signal that fades.
     * Each line is a moving average over 1% of the run, so that the cells can be told apart.
     */
    static XYChart firstStageGradients(List<CellResult> results) {
        XYChart chart =
                chart(
                        "Gradient norm of stage 1 (farthest from the loss), moving average",
                        "step",
                        "gradient L2 norm");
        List<CellResult> cells =
                inLegendOrder(results.stream().filter(Plots::hasFirstStage).toList());
        List<Integer> depths = depths(cells);
        for (CellResult r : cells) {
            GradientNorms norms = r.gradientNorms();
            int column = norms.parts().indexOf("stage1");
            double[] steps = norms.steps().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y =
                    movingAverage(
                            norms.norms().stream().mapToDouble(row -> row[column]).toArray(),
                            Math.max(1, steps.length / 100));
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.max(y[i], 1e-12); // a vanished gradient at the log axis's floor
            }
            XYSeries series = chart.addSeries(r.id(), steps, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(cellColor(r, depths));
        }
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }

    /** The mean of each value and the {@code window - 1} before it (fewer at the start). */
    static double[] movingAverage(double[] values, int window) {
        double[] averages = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
            if (i >= window) {
                sum -= values[i - window];
            }
            averages[i] = sum / Math.min(i + 1, window);
        }
        return averages;
    }

    /** The cells by variant, then depth, then seed. */
    private static List<CellResult> inLegendOrder(List<CellResult> results) {
        return results.stream()
                .sorted(
                        Comparator.comparing(CellResult::variant)
                                .thenComparingInt(CellResult::depth)
                                .thenComparingInt(CellResult::seed))
                .toList();
    }

    /** The depths among some cells, shallowest first. */
    private static List<Integer> depths(List<CellResult> results) {
        return results.stream().map(CellResult::depth).distinct().sorted().toList();
    }

    /**
     * A cell's colour in the charts that compare cells: its variant's colour, paler the shallower,
     * evenly spaced over the depths present so that neighbouring depths stay apart.
     *
     * @param r the cell
     * @param depths every depth in the chart, shallowest first
     * @return the colour
     */
    static Color cellColor(CellResult r, List<Integer> depths) {
        return cellColor(r.variant(), r.depth(), depths);
    }

    /**
     * A variant and depth's colour, as {@link #cellColor(CellResult, List)} gives its cells.
     *
     * @param variant the variant
     * @param depth the depth
     * @param depths every depth in the chart, shallowest first
     * @return the colour
     */
    static Color cellColor(String variant, int depth, List<Integer> depths) {
        int rank = depths.indexOf(depth);
        double shallowness = depths.size() < 2 ? 0 : 1 - (double) rank / (depths.size() - 1);
        return paler(COLORS.getOrDefault(variant, Color.GRAY), 0.6 * shallowness);
    }

    /** Mixes a colour with white: 0 keeps it, 1 is white. */
    private static Color paler(Color color, double fraction) {
        return new Color(
                (int) Math.round(color.getRed() + (255 - color.getRed()) * fraction),
                (int) Math.round(color.getGreen() + (255 - color.getGreen()) * fraction),
                (int) Math.round(color.getBlue() + (255 - color.getBlue()) * fraction));
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

    /**
     * Writes a chart as PNG, atomically.
     *
     * @param chart the chart
     * @param file the file
     * @throws IOException if it cannot be written
     */
    static void save(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG));
    }
}
