package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.cli.ExitCode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate}: accuracy, per-class accuracy and the confusion matrix, printed and drawn. */
class EvaluateCommandTest {

    @TempDir Path dir;

    @Test
    void printsAccuracyPerClassAndTheMatrixAndSavesThePng() throws IOException {
        Path png = dir.resolve("charts").resolve("confusion.png");
        Cli.Result result =
                Cli.run(
                        "evaluate",
                        "--model",
                        TrainedModel.folder().toString(),
                        "--limit",
                        String.valueOf(TrainedModel.TEST_IMAGES),
                        "--out",
                        png.toString());
        assertEquals(0, result.exitCode(), result.err());
        String out = result.out();
        System.out.print(out);

        Matcher accuracy =
                Pattern.compile("accuracy: ([0-9.]+)% \\((\\d+) of (\\d+)\\)").matcher(out);
        assertTrue(accuracy.find(), out);
        assertEquals(String.valueOf(TrainedModel.TEST_IMAGES), accuracy.group(3));
        // The same images and weights as the accuracy measured in training.
        assertEquals(100 * TrainedModel.accuracy(), Double.parseDouble(accuracy.group(1)), 0.01);

        List<String> lines = out.lines().toList();
        int classes =
                lines.indexOf(
                        lines.stream()
                                .filter(l -> l.startsWith("class "))
                                .findFirst()
                                .orElseThrow());
        long imagesInClasses = 0;
        for (int c = 1; c <= 10; c++) {
            String[] cells = lines.get(classes + c).trim().split("\\s+");
            imagesInClasses += Long.parseLong(cells[cells.length - 1]);
        }
        assertEquals(TrainedModel.TEST_IMAGES, imagesInClasses);

        int matrix = lines.indexOf("confusion matrix (rows: true class, columns: predicted class)");
        long counted = 0;
        long diagonal = 0;
        for (int actual = 0; actual < 10; actual++) {
            String[] cells = lines.get(matrix + 2 + actual).trim().split("\\s+");
            String[] counts = java.util.Arrays.copyOfRange(cells, cells.length - 10, cells.length);
            for (int predicted = 0; predicted < 10; predicted++) {
                long count = Long.parseLong(counts[predicted]);
                counted += count;
                diagonal += predicted == actual ? count : 0;
            }
        }
        assertEquals(TrainedModel.TEST_IMAGES, counted);
        assertEquals(Long.parseLong(accuracy.group(2)), diagonal);

        assertTrue(Files.size(png) > 0);
        BufferedImage chart = ImageIO.read(png.toFile());
        assertEquals(900, chart.getWidth());
        assertTrue(out.contains("confusion matrix saved to " + png), out);
    }

    @Test
    void aMissingDataFolderIsAOneLineError() {
        Cli.Result result =
                Cli.run(
                        "evaluate",
                        "--model",
                        TrainedModel.folder().toString(),
                        "--data",
                        "/nonexistent/fashion",
                        "--out",
                        "unused.png");
        assertEquals(ExitCode.BAD_INPUT, result.exitCode());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(
                result.err().startsWith("error: Fashion-MNIST folder /nonexistent/fashion"),
                result.err());
    }
}
