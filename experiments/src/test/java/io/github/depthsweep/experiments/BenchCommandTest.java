package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.depthsweep.experiments.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} on the smallest seed model, a couple of steps: its output, not its speed. */
class BenchCommandTest {

    @TempDir Path dir;

    @Test
    void jsonLinesCarryTheFiguresAndTheProfile() throws Exception {
        Path profile = dir.resolve("profile");
        CliRun run =
                bench(
                        "--models",
                        "plain-12",
                        "--steps",
                        "2",
                        "--warmup",
                        "1",
                        "--json",
                        "--profile",
                        profile.toString());
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(1, lines.size(), "one JSON object per model: " + run.out());
        JsonNode row = RunFolder.JSON.readTree(lines.get(0));
        assertEquals("plain-12", row.get("name").asText());
        assertEquals(878_250, row.get("params").asLong());
        for (String field : List.of("train_images_per_s", "infer_images_per_s", "gflops")) {
            assertTrue(row.get(field).asDouble() > 0, field + " in " + row);
        }
        assertTrue(row.get("peak_rss_mb").asDouble() > 100, row.toString());
        // the profile: the convolutions are where the time goes, in any build
        assertTrue(Files.size(profile.resolve("plain-12-trace.json")) > 0);
        List<String> ops = new ArrayList<>();
        row.get("profile").get("top_ops").forEach(op -> ops.add(op.get("op").asText()));
        assertTrue(ops.contains("aten::convolution_backward"), ops.toString());
        double shares = 0;
        for (JsonNode op : row.get("profile").get("top_ops")) {
            shares += op.get("share").asDouble();
        }
        assertTrue(shares > 0.5 && shares <= 1 + 1e-9, "top ops' shares: " + shares);
    }

    @Test
    void tableStartsWithTheMachineAndAllocator() {
        CliRun run = bench("--models", "residual-12", "--steps", "1", "--warmup", "0");
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith("machine: "), run.out());
        assertTrue(lines.get(0).contains("allocator: "), run.out());
        assertTrue(lines.get(1).startsWith("model "), run.out());
        assertTrue(lines.get(2).startsWith("residual-12 "), run.out());
        assertEquals(3, lines.size(), run.out());
    }

    @Test
    void roundsAlternateWithThePeerAndReportMedians() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the peer runs on python3");
        // A stand-in for peer_torch.py: answers only the command line bench must send it.
        Path peer = dir.resolve("peer.py");
        Files.writeString(
                peer,
                String.join(
                        "\n",
                        "import sys",
                        "a = sys.argv[1:]",
                        "if a[:3] == ['bench', '12', 'plain'] and a[3:5] == ['--batches', '2']:",
                        "    print('peer torch fake plain-12 train_images_per_s 100.0')",
                        ""));
        CliRun run =
                bench(
                        "--models",
                        "plain-12",
                        "--steps",
                        "2",
                        "--warmup",
                        "0",
                        "--rounds",
                        "3",
                        "--json",
                        "--peer",
                        peer.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode row = RunFolder.JSON.readTree(run.out().lines().findFirst().orElseThrow());
        assertEquals(100.0, row.get("peer_train_images_per_s").asDouble(), 1e-9);
        assertEquals(3, row.get("rounds").asInt());
        // with a constant peer, the median ratio is the median rate over the peer's
        double ratio = row.get("ratio").asDouble();
        assertEquals(row.get("train_images_per_s").asDouble() / 100.0, ratio, 1e-9);
        assertTrue(row.get("ratio_min").asDouble() <= ratio, row.toString());
        assertTrue(ratio <= row.get("ratio_max").asDouble(), row.toString());
    }

    @Test
    void unknownModelIsOneLineError() {
        CliRun run = bench("--models", "dense-12", "--steps", "1");
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("error: Unknown variant 'dense'"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    private static CliRun bench(String... args) {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}
