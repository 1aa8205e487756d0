package io.github.depthsweep.app;

import io.github.depthsweep.core.inference.ConfusionMatrix;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Draws a confusion matrix as a heat map PNG with XChart: true classes down, predictions across.
 */
final class ConfusionChart {

    private ConfusionChart() {}

    /**
     * Saves a confusion matrix as a PNG, each cell labelled with its count.
     *
     * @param matrix the matrix
     * @param title the chart's title
     * @param file the PNG file; its folder is created if needed
     * @throws IOException if the file cannot be written
     */
    static void save(ConfusionMatrix matrix, String title, Path file) throws IOException {
        List<String> classes = matrix.classes();
        int n = classes.size();
        HeatMapChart chart =
                new HeatMapChartBuilder()
                        .width(900)
                        .height(800)
                        .title(title)
                        .xAxisTitle("predicted class")
                        .yAxisTitle("true class")
                        .build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("#");
        chart.getStyler().setPlotContentSize(1);
        chart.getStyler().setLegendVisible(true);
        // White for zero to blue for the largest count: the diagonal stands out, text stays
        // legible.
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(66, 133, 244)});
        chart.getStyler().setMin(0);
        // XChart puts the first y category at the bottom; list them reversed to read top-down.
        List<String> rows = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            rows.add(classes.get(i));
        }
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                cells.add(
                        new Number[] {predicted, n - 1 - actual, matrix.count(actual, predicted)});
            }
        }
        chart.addSeries("images", classes, rows, cells);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
        }
    }
}
