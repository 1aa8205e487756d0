package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.engine.PyTorchEnvironment;
import io.github.depthsweep.experiments.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
        // every kind of a step's operators is there, the convolutions the largest, and the kinds
        // cover the profile
        Map<String, Double> kinds = new LinkedHashMap<>();
        row.get("profile")
                .get("kinds")
                .forEach(
                        kind -> kinds.put(kind.get("kind").asText(), kind.get("share").asDouble()));
        assertEquals(
                List.of(
                        "convolution",
                        "BatchNorm",
                        "ReLU",
                        "2x2 same padding",
                        "max-pool",
                        "other"),
                List.copyOf(kinds.keySet()));
        assertEquals(1, kinds.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertEquals(Collections.max(kinds.values()), kinds.get("convolution"), kinds.toString());
        JsonNode update = row.get("profile").get("update");
        assertTrue(update.get("share").asDouble() > 0 && update.get("share").asDouble() < 0.5);
        assertEquals(
                update.get("share").asDouble(),
                update.get("ms_per_step").asDouble() / update.get("step_ms").asDouble(),
                1e-9);
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
    void everyPeerKindRunsWithItsVenvAndGetsItsOwnFigures() throws Exception {
        // Stand-ins for the venvs' Pythons: each checks the script and command line bench sends it,
        // and that it waits as our OpenMP does, and answers with a rate of its own, so each peer's
        // figures can be told apart.
        PyTorchEnvironment.apply(); // as the command line does first: sets GOMP_SPINCOUNT
        Path venvs = dir.resolve("venvs");
        fakePython(venvs, "keras", "peer_keras", "--jit", 60, 50);
        fakePython(venvs, "torch", "peer_torch", "--compile", 80, 70);
        CliRun run =
                bench(
                        "--models",
                        "plain-12",
                        "--steps",
                        "2",
                        "--warmup",
                        "0",
                        "--rounds",
                        "2",
                        "--json",
                        "--venvs",
                        venvs.toString(),
                        "--peer",
                        "keras,keras-xla,torch,torch-compile");
        assertEquals(0, run.code(), run.err() + run.out());
        JsonNode row = RunFolder.JSON.readTree(run.out().lines().findFirst().orElseThrow());
        double ours = row.get("train_images_per_s").asDouble();
        JsonNode peers = row.get("peers");
        List<String> names = new ArrayList<>();
        peers.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("keras", "keras-xla", "torch", "torch-compile"), names);
        double[] rates = {50, 60, 70, 80};
        for (int i = 0; i < rates.length; i++) {
            JsonNode peer = peers.get(names.get(i));
            assertEquals(rates[i], peer.get("train_images_per_s").asDouble(), 1e-9, names.get(i));
            // each round's ratio is over the same constant rate: the median is the median's
            assertEquals(ours / rates[i], peer.get("ratio").asDouble(), 1e-9, names.get(i));
            assertTrue(peer.get("ratio_min").asDouble() <= peer.get("ratio_max").asDouble());
        }
        assertEquals(null, row.get("peer_train_images_per_s"), "several peers: no single one");

        CliRun table =
                bench(
                        "--models",
                        "plain-12",
                        "--steps",
                        "1",
                        "--warmup",
                        "0",
                        "--venvs",
                        venvs.toString(),
                        "--peer",
                        "keras-xla,torch");
        assertEquals(0, table.code(), table.err());
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(1).contains("keras-xla img/s  ratio"), lines.get(1));
        assertTrue(lines.get(1).contains("torch img/s  ratio"), lines.get(1));
        assertTrue(
                lines.get(2).matches("plain-12 .* 60\\.0 +[0-9.]+x +70\\.0 +[0-9.]+x *"),
                lines.get(2));
    }

    @Test
    void missingVenvIsOneLineThatSaysHowToMakeIt() {
        Path venvs = dir.resolve("no-venvs");
        CliRun run =
                bench(
                        "--models",
                        "plain-12",
                        "--steps",
                        "1",
                        "--venvs",
                        venvs.toString(),
                        "--peer",
                        "torch,keras");
        assertEquals(ExitCode.ENVIRONMENT, run.code(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("--peer torch needs the torch venv"), run.err());
        assertTrue(
                run.err().contains("DEPTHSWEEP_VENVS=" + venvs + " scripts/venv.sh torch"),
                run.err());
        assertEquals("", run.out(), "nothing timed");
    }

    @Test
    void unknownPeerIsBadInput() {
        CliRun run = bench("--models", "plain-12", "--steps", "1", "--peer", "jax");
        assertEquals(ExitCode.BAD_INPUT, run.code(), run.err());
        assertTrue(run.err().contains("--peer jax is neither a peer (keras, "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    /**
     * Writes VENVS/NAME/bin/python: a shell script that answers bench's command line for SCRIPT
     * with one rate, or another when the command line ends in FLAG, where it has our process's
     * GOMP_SPINCOUNT.
     */
    private static void fakePython(
            Path venvs, String name, String script, String flag, int flagged, int plain)
            throws Exception {
        String spin =
                Objects.requireNonNullElse(
                        PyTorchEnvironment.getenv(PyTorchEnvironment.SPIN_COUNT), "unset");
        Path python = venvs.resolve(name).resolve("bin").resolve("python");
        Files.createDirectories(python.getParent());
        Files.writeString(
                python,
                String.join(
                        "\n",
                        "#!/bin/sh",
                        "case \"$1\" in */"
                                + script
                                + "*.py) ;; *) echo \"not "
                                + script
                                + ": $1\"; exit 1;; esac",
                        "shift",
                        "[ \"${GOMP_SPINCOUNT-unset}\" = '" + spin + "' ] \\",
                        "  || { echo \"GOMP_SPINCOUNT=$GOMP_SPINCOUNT\"; exit 1; }",
                        "[ \"$1 $2 $3 $4 $5 $6\" = 'bench 12 plain --batches 2 --threads' ] \\",
                        "  || [ \"$1 $2 $3 $4 $5 $6\" = 'bench 12 plain --batches 1 --threads' ] \\",
                        "  || { echo \"bad command line: $*\"; exit 1; }",
                        "case \"$*\" in",
                        "  *' "
                                + flag
                                + "') echo 'peer fake x plain-12 train_images_per_s "
                                + flagged
                                + ".0' ;;",
                        "  *) echo 'peer fake x plain-12 train_images_per_s " + plain + ".0' ;;",
                        "esac",
                        ""));
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
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
