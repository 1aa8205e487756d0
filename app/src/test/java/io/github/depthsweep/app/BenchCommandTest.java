package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} runs and reports latency and throughput, beside the raw engine; how fast is not
 * asserted.
 */
class BenchCommandTest {

    @TempDir Path dir;

    @Test
    void reportsSingleImageLatencyAndBatchThroughput() {
        Cli.Result result =
                Cli.run(
                        "bench",
                        "--model",
                        TrainedModel.folder().toString(),
                        "--warmup",
                        "2",
                        "--iterations",
                        "10",
                        "--batch-size",
                        "16",
                        "--batches",
                        "2",
                        "--image",
                        "samples/7-sneaker.png");
        assertEquals(0, result.exitCode(), result.err());
        String out = result.out();
        System.out.print(out);
        assertTrue(out.matches("(?s).*single image: p50 [0-9.]+ ms, p99 [0-9.]+ ms.*"), out);
        assertTrue(out.matches("(?s).*batches of 16: [0-9.]+ images/s.*"), out);
        assertTrue(out.contains("engine PyTorch"), out);
    }

    @Test
    void filesAndTestSetAreTimedBesideTheRawEngine() {
        Cli.Result result =
                Cli.run(
                        "bench",
                        "--model",
                        TrainedModel.folder().toString(),
                        "--warmup",
                        "0",
                        "--iterations",
                        "1",
                        "--batch-size",
                        "4",
                        "--batches",
                        "1",
                        "--files",
                        PredictCommandTest.SAMPLES.toString(),
                        "--test-images",
                        "12",
                        "--rounds",
                        "2");
        assertEquals(0, result.exitCode(), result.err());
        String out = result.out();
        System.out.print(out);
        assertTrue(out.contains("files: 10 in samples, batches of 4"), out);
        assertTrue(
                out.matches(
                        "(?s).*round 2: predict [0-9.]+ images/s \\(an image: read and preprocess"
                                + " [0-9]+ us, classify [0-9]+ us, format [0-9]+ us\\), raw engine"
                                + " [0-9.]+ images/s.*"),
                out);
        assertTrue(out.matches("(?s).*median: predict [0-9.]+ images/s, raw engine .*"), out);
        assertTrue(out.contains("test set: 12 images from "), out);
        assertTrue(out.matches("(?s).*round 2: evaluate [0-9.]+ images/s, raw engine .*"), out);
        assertTrue(out.matches("(?s).*median: evaluate .*evaluate/raw [0-9.]+%.*"), out);
    }

    @Test
    void aFileThatIsNotAnImageStopsTheFilesTimingWithOneLine() throws IOException {
        Files.writeString(dir.resolve("notes.png"), "not an image");
        Cli.Result result =
                Cli.run(
                        "bench",
                        "--model",
                        TrainedModel.folder().toString(),
                        "--iterations",
                        "1",
                        "--batches",
                        "1",
                        "--files",
                        dir.toString());
        assertEquals(ExitCode.BAD_INPUT, result.exitCode());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().contains("notes.png is not an image"), result.err());
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, BenchCommand.percentile(sorted, 50));
        assertEquals(99, BenchCommand.percentile(sorted, 99));
        assertEquals(7, BenchCommand.percentile(new long[] {7}, 99));
    }
}
