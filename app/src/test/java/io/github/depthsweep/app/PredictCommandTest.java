package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.data.Datasets;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} with a model trained briefly on real data ({@link TrainedModel}): the samples, a
 * photo-like image, the table and JSON, and folders with bad files in them.
 */
class PredictCommandTest {

    /** The ten real test-set images in {@code app/samples}, one per class. */
    static final Path SAMPLES = Path.of("samples");

    /** Strict: the whole of stdout must be one JSON document. */
    private static final ObjectMapper JSON = HostileInputsTest.JSON;

    @TempDir Path dir;

    @Test
    void mostSamplesAreRightWithTheRunsBestModel() throws IOException {
        Cli.Result result =
                Cli.run(
                        "predict",
                        "--json",
                        "--model",
                        TrainedModel.run().toString(),
                        SAMPLES.toString());
        assertEquals(0, result.exitCode(), result.err());

        JsonNode images = JSON.readTree(result.out());
        assertEquals(10, images.size());
        int right = 0;
        StringBuilder report = new StringBuilder();
        for (JsonNode image : images) {
            String file = Path.of(image.get("file").asText()).getFileName().toString();
            String expected = Datasets.FASHION_MNIST.classes().get(file.charAt(0) - '0');
            JsonNode predictions = image.get("predictions");
            assertEquals(3, predictions.size(), "top 3 by default");
            double previous = 1;
            for (JsonNode prediction : predictions) {
                double p = prediction.get("probability").asDouble();
                assertTrue(p <= previous && p >= 0, "best first: " + predictions);
                previous = p;
            }
            String best = predictions.get(0).get("label").asText();
            report.append(file).append(" -> ").append(best).append('\n');
            if (best.equals(expected)) {
                right++;
            }
        }
        System.out.print(report);
        assertTrue(right >= 6, right + " of 10 right:\n" + report);
    }

    @Test
    void theTableShowsTheModelAndTopKWithPercentages() throws IOException {
        Path shirt = SAMPLES.resolve("0-t-shirt-top.png");
        Path bag = SAMPLES.resolve("8-bag.png");
        Cli.Result result =
                Cli.run(
                        "predict",
                        "-k",
                        "2",
                        "--model",
                        TrainedModel.folder().toString(),
                        shirt.toString(),
                        bag.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(0).startsWith("model plain-12 from "), lines.get(0));
        assertTrue(lines.get(0).contains("test accuracy"), lines.get(0));
        String header = lines.stream().filter(l -> l.startsWith("file")).findFirst().orElseThrow();
        assertTrue(header.contains("1st") && header.contains("2nd") && !header.contains("3rd"));
        for (Path file : List.of(shirt, bag)) {
            String row =
                    lines.stream()
                            .filter(l -> l.startsWith(file.toString()))
                            .findFirst()
                            .orElseThrow();
            assertEquals(2, row.split("%", -1).length - 1, row);
        }
        assertEquals("", result.err());
    }

    @Test
    void aLargeColourPhotoOnWhiteIsInvertedAndGetsTheSamplesPrediction() throws IOException {
        // The boot drawn 10x larger as a dark RGB item on white, as a photo would have it.
        Path sample = SAMPLES.resolve("9-ankle-boot.png");
        BufferedImage small = ImageIO.read(sample.toFile());
        BufferedImage large = new BufferedImage(280, 280, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 280; y++) {
            for (int x = 0; x < 280; x++) {
                int level = 255 - small.getRaster().getSample(x / 10, y / 10, 0);
                large.setRGB(x, y, level << 16 | level << 8 | level);
            }
        }
        Path photo = dir.resolve("boot-photo.png");
        ImageIO.write(large, "png", photo.toFile());

        JsonNode original = predict(sample, "auto").get(0).get("predictions");
        JsonNode inverted = predict(photo, "auto").get(0).get("predictions");
        assertEquals(original.get(0).get("label"), inverted.get(0).get("label"));
        for (int k = 0; k < 3; k++) {
            assertEquals(
                    original.get(k).get("probability").asDouble(),
                    inverted.get(k).get("probability").asDouble(),
                    1e-4);
        }
        // Told not to invert, the model sees a dark boot on white: a different input.
        JsonNode kept = predict(photo, "no").get(0).get("predictions");
        boolean sameLabel = kept.get(0).get("label").equals(original.get(0).get("label"));
        double difference =
                Math.abs(
                        kept.get(0).get("probability").asDouble()
                                - original.get(0).get("probability").asDouble());
        assertFalse(sameLabel && difference < 1e-4, "--invert no changes the input: " + kept);

        // The same as a real (lossy) JPEG: classified, if not to the same digits.
        Path jpeg = dir.resolve("boot-photo.jpg");
        assertTrue(ImageIO.write(large, "jpg", jpeg.toFile()));
        assertEquals(3, predict(jpeg, "auto").get(0).get("predictions").size());
    }

    @Test
    void inAFolderWithBadFilesTheGoodOnesAreClassifiedAndTheBadOnesListed() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(SAMPLES.resolve("1-trouser.png"), folder.resolve("a-trouser.png"));
        Files.copy(SAMPLES.resolve("7-sneaker.png"), folder.resolve("c-sneaker.png"));
        Files.writeString(folder.resolve("b-notes.txt"), "not an image");
        Files.write(folder.resolve("d-empty.jpg"), new byte[0]);
        byte[] png = Files.readAllBytes(SAMPLES.resolve("5-sandal.png"));
        Files.write(folder.resolve("e-truncated.png"), Arrays.copyOf(png, png.length / 2));
        Files.writeString(folder.resolve(".hidden"), "skipped");
        Path missing = dir.resolve("missing.png");

        for (boolean json : new boolean[] {false, true}) {
            Cli.Result result =
                    json
                            ? Cli.run(
                                    "predict",
                                    "--json",
                                    "-m",
                                    TrainedModel.folder().toString(),
                                    folder.toString(),
                                    missing.toString())
                            : Cli.run(
                                    "predict",
                                    "-m",
                                    TrainedModel.folder().toString(),
                                    folder.toString(),
                                    missing.toString());
            assertEquals(ExitCode.BAD_INPUT, result.exitCode());
            List<String> errors = result.err().lines().toList();
            assertEquals(5, errors.size(), result.err());
            assertTrue(errors.stream().allMatch(l -> l.startsWith("error: ")), result.err());
            assertTrue(errors.get(0).contains("b-notes.txt is not an image"), errors.get(0));
            assertTrue(errors.get(1).contains("d-empty.jpg is not an image"), errors.get(1));
            assertTrue(errors.get(2).contains("e-truncated.png is a damaged"), errors.get(2));
            assertTrue(errors.get(3).contains("missing.png does not exist"), errors.get(3));
            assertEquals("error: 4 of 6 inputs could not be classified.", errors.get(4));
            assertFalse(result.err().contains("\tat "), "no stack trace");

            if (json) {
                JsonNode rows = JSON.readTree(result.out());
                assertEquals(6, rows.size());
                assertTrue(rows.get(0).get("file").asText().endsWith("a-trouser.png"));
                assertEquals(3, rows.get(0).get("predictions").size());
                assertEquals(3, rows.get(2).get("predictions").size());
                assertTrue(rows.get(1).has("error") && rows.get(5).has("error"));
            } else {
                assertTrue(
                        result.out()
                                .lines()
                                .anyMatch(l -> l.contains("a-trouser.png") && l.contains("%")),
                        result.out());
                assertTrue(
                        result.out()
                                .lines()
                                .anyMatch(l -> l.contains("c-sneaker.png") && l.contains("%")),
                        result.out());
                assertFalse(result.out().contains(".hidden"));
            }
        }
    }

    @Test
    void aBadTopKIsAUsageError() {
        Cli.Result result =
                Cli.run(
                        "predict",
                        "-k",
                        "11",
                        "-m",
                        TrainedModel.folder().toString(),
                        SAMPLES.toString());
        assertEquals(2, result.exitCode());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("error: --top must be between 1 and 10"), result.err());
    }

    private JsonNode predict(Path image, String invert) throws IOException {
        Cli.Result result =
                Cli.run(
                        "predict",
                        "--json",
                        "--invert",
                        invert,
                        "-m",
                        TrainedModel.folder().toString(),
                        image.toString());
        assertEquals(0, result.exitCode(), result.err());
        return JSON.readTree(result.out());
    }
}
