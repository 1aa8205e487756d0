package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.inference.BombPng;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} on inputs no user should send but some will: an image bomb, a named pipe, and
 * folders classified in batches that must give what one image at a time gives.
 */
class HostileInputsTest {

    /** Strict: one JSON document and nothing after it. */
    static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Duration QUICKLY = Duration.ofSeconds(60);

    @TempDir Path dir;

    @Test
    void anImageBombIsRefusedInOneLineAndTheOtherFilesAreClassified() throws IOException {
        Path bomb = dir.resolve("bomb.png");
        BombPng.write(bomb, 30_000, 30_000); // about 900 KB, 900 megapixels once decoded
        Path sample = PredictCommandTest.SAMPLES.resolve("7-sneaker.png");
        String model = TrainedModel.folder().toString(); // trained once, outside the timeout

        long start = System.nanoTime();
        Cli.Result result =
                assertTimeoutPreemptively(
                        QUICKLY,
                        () ->
                                Cli.run(
                                        "predict",
                                        "--json",
                                        "-m",
                                        model,
                                        bomb.toString(),
                                        sample.toString()));
        System.out.printf("bomb refused in %.1f s%n", (System.nanoTime() - start) / 1e9);

        assertEquals(ExitCode.BAD_INPUT, result.exitCode());
        assertEquals(
                List.of(
                        "error: "
                                + bomb
                                + " is 30000 x 30000 = 900,000,000 pixels, over the limit of"
                                + " 50,000,000 pixels (see --max-pixels).",
                        "error: 1 of 2 inputs could not be classified."),
                result.err().lines().toList());
        JsonNode rows = JSON.readTree(result.out());
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).get("error").asText().contains("900,000,000 pixels"));
        assertEquals(3, rows.get(1).get("predictions").size());
    }

    @Test
    void maxPixelsSetsTheLimitInclusively() throws IOException {
        Path png = dir.resolve("100x100.png");
        BombPng.write(png, 100, 100);
        String model = TrainedModel.folder().toString();

        Cli.Result refused =
                Cli.run("predict", "--jsonl", "--max-pixels", "9999", "-m", model, png.toString());
        assertEquals(ExitCode.BAD_INPUT, refused.exitCode());
        assertTrue(
                refused.err().contains("over the limit of 9,999 pixels (see --max-pixels)."),
                refused.err());

        Cli.Result allowed =
                Cli.run("predict", "--jsonl", "--max-pixels", "10000", "-m", model, png.toString());
        assertEquals(0, allowed.exitCode(), allowed.err());
        assertEquals(3, JSON.readTree(allowed.out()).get("predictions").size());

        Cli.Result bad = Cli.run("predict", "--max-pixels", "0", "-m", model, png.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().startsWith("error: --max-pixels must be at least 1"), bad.err());
    }

    @Test
    void aNamedPipeIsReportedAndSkippedNamedOrInAFolder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("with-pipe"));
        Path pipe = folder.resolve("b-pipe.png");
        assumeTrue(mkfifo(pipe), "mkfifo is not available");
        Files.copy(
                PredictCommandTest.SAMPLES.resolve("1-trouser.png"),
                folder.resolve("a-trouser.png"));
        Path sample = PredictCommandTest.SAMPLES.resolve("8-bag.png");
        String model = TrainedModel.folder().toString(); // trained once, outside the timeout

        // Opened, the pipe would block for ever, waiting for a writer.
        Cli.Result result =
                assertTimeoutPreemptively(
                        QUICKLY,
                        () ->
                                Cli.run(
                                        "predict",
                                        "--jsonl",
                                        "-m",
                                        model,
                                        pipe.toString(),
                                        sample.toString(),
                                        folder.toString()));
        assertEquals(ExitCode.BAD_INPUT, result.exitCode());
        String line = "error: " + pipe + " is a named pipe, not a regular file.";
        assertEquals(
                List.of(line, line, "error: 2 of 4 inputs could not be classified."),
                result.err().lines().toList());
        List<JsonNode> rows = jsonLines(result.out());
        assertEquals(4, rows.size());
        assertTrue(rows.get(0).has("error"));
        assertTrue(rows.get(1).has("predictions"), "the file after the pipe is classified");
        assertTrue(rows.get(2).get("file").asText().endsWith("a-trouser.png"));
        assertTrue(rows.get(2).has("predictions"));
        assertTrue(rows.get(3).has("error"));
    }

    @Test
    void batchesGiveWhatOneImageAtATimeGivesInTheSameOrder() throws IOException {
        // Thirty images of different sizes, colours and formats, with bad files between them.
        Path folder = Files.createDirectories(dir.resolve("mixed"));
        List<Path> samples;
        try (var files = Files.list(PredictCommandTest.SAMPLES)) {
            samples = files.sorted().toList();
        }
        for (int i = 0; i < samples.size(); i++) {
            Files.copy(samples.get(i), folder.resolve(i + "-a-sample.png"));
            BufferedImage small = ImageIO.read(samples.get(i).toFile());
            int width = 20 + 13 * i;
            int height = 35 + 7 * i;
            BufferedImage photo = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int level =
                            255 - small.getRaster().getSample(x * 28 / width, y * 28 / height, 0);
                    photo.setRGB(x, y, level << 16 | (level * 3 / 4) << 8 | level / 2);
                }
            }
            ImageIO.write(photo, "png", folder.resolve(i + "-b-photo.png").toFile());
            ImageIO.write(photo, "jpg", folder.resolve(i + "-c-photo.jpg").toFile());
            if (i % 3 == 0) {
                Files.writeString(folder.resolve(i + "-d-notes.png"), "not an image");
            }
        }

        List<JsonNode> one = predictLines(folder, "1");
        assertEquals(34, one.size());
        assertEquals(4, one.stream().filter(row -> row.has("error")).count());
        for (String batchSize : new String[] {"7", "64"}) {
            List<JsonNode> batched = predictLines(folder, batchSize);
            assertEquals(one.size(), batched.size());
            for (int i = 0; i < one.size(); i++) {
                JsonNode a = one.get(i);
                JsonNode b = batched.get(i);
                assertEquals(a.get("file"), b.get("file"), "same order");
                assertEquals(a.has("error"), b.has("error"), a.get("file").asText());
                if (a.has("error")) {
                    assertEquals(a.get("error"), b.get("error"));
                    continue;
                }
                for (int k = 0; k < 3; k++) {
                    JsonNode p = a.get("predictions").get(k);
                    JsonNode q = b.get("predictions").get(k);
                    String where = a.get("file").asText() + " #" + k + ", batch " + batchSize;
                    assertEquals(p.get("label"), q.get("label"), where);
                    // Float32: the engine's kernels for other batch sizes round differently.
                    assertEquals(
                            p.get("probability").asDouble(),
                            q.get("probability").asDouble(),
                            1e-5,
                            where);
                }
            }
        }
    }

    @Test
    void jsonAndJsonLinesAreCleanOnStdoutAndExclusive() throws IOException {
        Path folder = PredictCommandTest.SAMPLES;
        String model = TrainedModel.folder().toString();
        Cli.Result json =
                Cli.run("predict", "--json", "--batch-size", "3", "-m", model, folder.toString());
        assertEquals(0, json.exitCode(), json.err());
        assertEquals(10, JSON.readTree(json.out()).size(), "one JSON array, nothing else");
        assertEquals("", json.err());

        Cli.Result lines = Cli.run("predict", "--jsonl", "-m", model, folder.toString());
        assertEquals(0, lines.exitCode(), lines.err());
        assertEquals(10, jsonLines(lines.out()).size());

        Cli.Result both = Cli.run("predict", "--json", "--jsonl", "-m", model, folder.toString());
        assertEquals(2, both.exitCode());
        assertEquals("", both.out());
        assertTrue(
                both.err().startsWith("error: --json and --jsonl cannot be used together"),
                both.err());
    }

    private List<JsonNode> predictLines(Path folder, String batchSize) throws IOException {
        Cli.Result result =
                Cli.run(
                        "predict",
                        "--jsonl",
                        "--batch-size",
                        batchSize,
                        "-m",
                        TrainedModel.folder().toString(),
                        folder.toString());
        assertFalse(result.err().contains("\tat "), result.err());
        return jsonLines(result.out());
    }

    /**
     * Parses JSON Lines strictly: every line one JSON object.
     *
     * @param out the output
     * @return the objects
     * @throws IOException if a line is not one JSON document
     */
    static List<JsonNode> jsonLines(String out) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.lines().toList()) {
            JsonNode row = JSON.readTree(line);
            assertTrue(row.isObject(), line);
            rows.add(row);
        }
        return rows;
    }

    /**
     * Makes a named pipe, where the platform has {@code mkfifo}.
     *
     * @param path where
     * @return whether it was made
     * @throws InterruptedException if interrupted while waiting for mkfifo
     */
    static boolean mkfifo(Path path) throws InterruptedException {
        try {
            Process process = new ProcessBuilder("mkfifo", path.toString()).start();
            return process.waitFor(10, TimeUnit.SECONDS)
                    && process.exitValue() == 0
                    && Files.exists(path);
        } catch (IOException e) {
            return false;
        }
    }
}
