package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.experiments.report.KerasComparison;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.GradientNorms;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code depthsweep keras-report} on fake Keras runs and a fake depthsweep run folder. */
class KerasReportTest {

    /** The seed's protocol, as the committed paper run has it. */
    private static final Protocol PAPER =
            new Protocol("fashion-mnist", 25, 150, 1e-4f, 1e-6f, 60_000, 10_000, 50, "adam");

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'
    };

    @TempDir Path dir;

    private Path against;
    private Path runs;
    private Path out;

    @BeforeEach
    void folders() throws IOException {
        against = dir.resolve("paper");
        runs = dir.resolve("runs");
        out = dir.resolve("keras");
        Files.createDirectories(against.resolve("cells"));
        Files.write(
                against.resolve(RunFolder.PROTOCOL_FILE), RunFolder.JSON.writeValueAsBytes(PAPER));
        double[] ours = {0.85, 0.86, 0.87};
        for (int seed = 0; seed < 3; seed++) {
            ours("plain", 12, seed, ours[seed]);
            ours("plain", 50, seed, ours[seed]);
            ours("residual", 50, seed, ours[seed] + 0.05);
        }
        double[] plain12 = {0.80, 0.82, 0.84}; // not distinguishable: [-8.16, +0.16]
        double[] plain50 = {0.80, 0.81, 0.82}; // depthsweep higher: [-7.27, -2.73]
        for (int seed = 0; seed < 3; seed++) {
            keras("plain", 12, seed, plain12[seed], 25, true);
            keras("plain", 50, seed, plain50[seed], 25, true);
        }
        keras("residual", 50, 0, 0.90, 25, true);
        keras("residual", 50, 1, 0.70, 7, false); // still training
    }

    @Test
    void comparesTheFinishedRunsAndListsTheOnesTraining() throws IOException {
        CliRun run = report(kerasRuns());
        assertEquals(0, run.code(), run.err());
        assertEquals(
                "7 Keras runs finished and 1 training, against 9 cells of "
                        + against
                        + ": "
                        + out.resolve(KerasComparison.FILE),
                run.out().strip());
        String md = Files.readString(out.resolve(KerasComparison.FILE));
        assertTrue(
                md.contains(
                        "| plain-12 | 3 | 82.00 ± 2.00 | 3 | 86.00 ± 1.00 | -4.00 |"
                                + " [-8.16, +0.16] |\n"
                                + "| plain-50 | 3 | 81.00 ± 1.00 | 3 | 86.00 ± 1.00 | -5.00 |"
                                + " [-7.27, -2.73] |\n"
                                + "| residual-50 | 1 | 90.00 | 3 | 91.00 ± 1.00 | -1.00 |"
                                + " needs 2 seeds a side |\n"),
                md);
        assertTrue(
                md.contains(
                        "- plain-12: not distinguishable at these seeds: the difference, -4.00"
                                + " points, lies within the seeds' noise (95% interval"
                                + " [-8.16, +0.16], which holds 0).\n"
                                + "- plain-50: distinguishable at these seeds: depthsweep is"
                                + " higher, by 5.00 points (95% interval of Keras − depthsweep"
                                + " [-7.27, -2.73], which excludes 0).\n"
                                + "- residual-50: not judged yet: an interval needs 2 finished"
                                + " seeds a side (Keras has 1, depthsweep 3); the difference so"
                                + " far is -1.00 points.\n"),
                md);
        assertTrue(
                md.contains("| residual-50-seed1 | training, epoch 7 of 25 | - | - | - | - |"), md);
        assertTrue(md.contains("versions (from result.json): `keras 3.13.2/tf 2.21.0`."), md);
        assertTrue(md.contains("`depthsweep keras-report " + runs.resolve("plain-12-seed0")), md);
        assertTrue(md.contains("--against " + against + " --out " + out + "`"), md);
        assertTrue(md.contains("![Test accuracy per epoch, depthsweep against Keras]("), md);
        assertPng(out.resolve(KerasComparison.PLOT));
        try (Stream<Path> written = Files.list(out)) {
            assertEquals(
                    List.of(KerasComparison.PLOT, KerasComparison.FILE),
                    written.map(p -> p.getFileName().toString()).sorted().toList(),
                    "nothing else, no temporaries");
        }

        // Without Keras runs: the page says so, and the old plot goes rather than stay stale.
        CliRun none = report(List.of());
        assertEquals(0, none.code(), none.err());
        md = Files.readString(out.resolve(KerasComparison.FILE));
        assertTrue(md.contains("No Keras runs yet."), md);
        assertFalse(Files.exists(out.resolve(KerasComparison.PLOT)));
    }

    @Test
    void onlyRunsInProgressStillDrawTheirCurves() throws IOException {
        CliRun run = report(List.of(runs.resolve("residual-50-seed1").toString()));
        assertEquals(0, run.code(), run.err());
        String md = Files.readString(out.resolve(KerasComparison.FILE));
        assertTrue(md.contains("| residual-50 | 0 | - | 3 | 91.00 ± 1.00 | - | - |"), md);
        assertTrue(md.contains("- residual-50: no Keras run has finished yet."), md);
        assertTrue(md.contains("versions (from result.json): none finished yet."), md);
        assertPng(out.resolve(KerasComparison.PLOT));
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path misnamed = Files.createDirectories(runs.resolve("plain-50-s0"));
        Files.copy(runs.resolve("plain-50-seed0/epochs.json"), misnamed.resolve("epochs.json"));
        bad(
                List.of(misnamed.toString()),
                "error: " + misnamed + " is not named as a Keras run (VARIANT-DEPTH-seedS");
        bad(
                List.of(Files.createDirectories(runs.resolve("dense-50-seed0")).toString()),
                "is not named as a Keras run");
        bad(
                List.of(Files.createDirectories(runs.resolve("plain-12-seed9")).toString()),
                "has no epochs.json: it is not a Keras run's folder, or its first epoch has not"
                        + " ended yet");
        Path damaged = Files.createDirectories(runs.resolve("plain-12-seed8"));
        Files.writeString(damaged.resolve("epochs.json"), "[{\"epoch\": 1, \"test_accur");
        bad(List.of(damaged.toString()), damaged.resolve("epochs.json") + " is damaged (");
        Path foreign = runs.resolve("plain-12-seed7");
        Files.createDirectories(foreign);
        Files.copy(runs.resolve("plain-12-seed0/epochs.json"), foreign.resolve("epochs.json"));
        Files.copy(runs.resolve("plain-12-seed0/result.json"), foreign.resolve("result.json"));
        bad(
                List.of(foreign.toString()),
                "it is the result of plain-12-seed0, not of plain-12-seed7");
        keras("plain", 20, 0, 0.8, 5, true);
        bad(
                List.of(runs.resolve("plain-20-seed0").toString()),
                "finished after 5 epochs, but the protocol compared against has 25: train it on"
                        + " with --epochs 25");
        bad(List.of(runs.resolve("*").toString() + "x"), "matches no folder");

        CliRun missing =
                CliRun.of(
                        "keras-report",
                        runs.resolve("plain-12-seed0").toString(),
                        "--against",
                        dir.resolve("nowhere").toString(),
                        "--out",
                        out.toString());
        assertEquals(2, missing.code(), missing.err());
        assertEquals(
                "error: "
                        + dir.resolve("nowhere")
                        + " is not a depthsweep run folder: it has no"
                        + " cells/ folder.",
                missing.err().strip());
        assertFalse(Files.exists(out), "nothing written");
    }

    private void bad(List<String> folders, String message) {
        CliRun run = report(folders);
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("error: "), run.err());
        assertTrue(run.err().contains(message), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    private CliRun report(List<String> extra) {
        List<String> args = new ArrayList<>(List.of("keras-report"));
        args.addAll(extra);
        args.addAll(List.of("--against", against.toString(), "--out", out.toString()));
        return CliRun.of(args.toArray(String[]::new));
    }

    private List<String> kerasRuns() throws IOException {
        try (Stream<Path> folders = Files.list(runs)) {
            return folders.map(Path::toString).sorted().toList();
        }
    }

    private static void assertPng(Path file) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), PNG_SIGNATURE.length);
        assertArrayEquals(PNG_SIGNATURE, head, file + " is a PNG");
    }

    /** Writes a depthsweep cell of 25 epochs whose test accuracy climbs to {@code last}. */
    private void ours(String variant, int depth, int seed, double last) throws IOException {
        List<EpochResult> epochs = new ArrayList<>();
        for (int epoch = 1; epoch <= 25; epoch++) {
            double accuracy = epoch == 25 ? last : last * epoch / 25;
            epochs.add(
                    new EpochResult(
                            epoch, 0.5, 0.8, 0.4, accuracy, accuracy, 60, 1000, null, null));
        }
        String id = variant + "-" + depth + "-seed" + seed;
        CellResult result =
                new CellResult(
                        id,
                        variant,
                        depth,
                        seed,
                        CellResult.FINISHED,
                        null,
                        PAPER,
                        100,
                        "cpu()",
                        epochs,
                        last,
                        last,
                        25,
                        last,
                        last,
                        1500,
                        new GradientNorms(List.of(), List.of(), List.of()),
                        null,
                        List.of(),
                        List.of(),
                        List.of());
        Files.write(
                against.resolve("cells").resolve(id + ".json"),
                RunFolder.JSON.writeValueAsBytes(result));
    }

    /**
     * Writes a Keras run's folder as peer_keras.py does: {@code epochs} epochs climbing to {@code
     * last}, and the result if it has {@code finished}.
     */
    private void keras(
            String variant, int depth, int seed, double last, int epochs, boolean finished)
            throws IOException {
        Path folder = Files.createDirectories(runs.resolve(variant + "-" + depth + "-seed" + seed));
        List<Map<String, Object>> records = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("epoch", epoch);
            record.put("steps", 400 * epoch);
            record.put("train_loss", 0.5);
            record.put("train_accuracy", 0.8);
            record.put("test_loss", 0.4);
            record.put("test_accuracy", epoch == epochs ? last : last * epoch / epochs);
            record.put("seconds", 144.0);
            records.add(record);
        }
        Files.write(folder.resolve("epochs.json"), RunFolder.JSON.writeValueAsBytes(records));
        if (finished) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("peer", "keras");
            result.put("versions", "keras 3.13.2/tf 2.21.0");
            result.put("variant", variant);
            result.put("depth", depth);
            result.put("params", 1000);
            result.put("seed", seed);
            result.put("epochs", epochs);
            result.put("final_test_accuracy", last);
            result.put("best_test_accuracy", last);
            result.put("seconds", 144.0 * epochs);
            result.put("machine", "a test CPU, 2 cores");
            result.put("finished", "2026-12-07T01:02:03Z");
            Files.write(folder.resolve("result.json"), RunFolder.JSON.writeValueAsBytes(result));
        }
    }
}
