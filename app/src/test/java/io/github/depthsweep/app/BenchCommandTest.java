package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code bench} runs and reports latency and throughput; how fast is not asserted. */
class BenchCommandTest {

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
