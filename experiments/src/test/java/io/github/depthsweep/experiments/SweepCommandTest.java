package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.depthsweep.core.data.IdxWriter;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import io.github.depthsweep.experiments.report.ResultsTable;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.sweep.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sweep end to end on tiny slices of the real data: a few seconds a cell. */
class SweepCommandTest {

    /** 300 training images, 2 steps a cell: the smallest real sweep. */
    private static final String[] TINY = {
        "--preset", "smoke", "--train-limit", "300", "--test-limit", "100", "--precise-bn", "2"
    };

    @TempDir Path dir;

    @Test
    void dryRunPrintsOneLinePerCellAndTrainsNothing() {
        CliRun run =
                sweep(
                        "--dry-run",
                        "--depths",
                        "12,50",
                        "--seeds",
                        "2",
                        "--out",
                        dir.resolve("run").toString());
        assertEquals(0, run.code(), run.err());
        List<String> cells = run.out().lines().filter(l -> l.startsWith("  ")).toList();
        assertEquals(8, cells.size(), run.out());
        String plain12 = line(cells, "plain-12-seed0");
        assertTrue(plain12.contains("878,250 params"), plain12);
        assertTrue(plain12.contains("10,000 steps"), "25 epochs of 400 steps: " + plain12);
        assertTrue(line(cells, "residual-50-seed1").contains("4,097,706"));
        assertTrue(plain12.matches(".*~\\d+:\\d\\d:\\d\\d$"), "an estimated time: " + plain12);
        // one measured speed for every cell: the estimates scale with each cell's work
        double ratio =
                (double) estimateSeconds(line(cells, "plain-50-seed0")) / estimateSeconds(plain12);
        assertTrue(
                Math.abs(ratio - 5.0) < 0.05,
                "plain-50 does 5.0 times plain-12's multiply-adds an epoch: " + ratio);
        // longest first, the order workers claim cells in; a model's seeds in order
        assertTrue(run.out().contains("longest first"), run.out());
        List<String> order = cells.stream().map(l -> l.trim().split("\\s+")[0]).toList();
        assertEquals(
                List.of(
                        "residual-50-seed0",
                        "residual-50-seed1",
                        "plain-50-seed0",
                        "plain-50-seed1",
                        "residual-12-seed0",
                        "residual-12-seed1",
                        "plain-12-seed0",
                        "plain-12-seed1"),
                order,
                run.out());
        for (int i = 1; i < cells.size(); i++) {
            assertTrue(
                    estimateSeconds(cells.get(i)) <= estimateSeconds(cells.get(i - 1)),
                    "estimates never grow down the list: " + run.out());
        }
        assertTrue(
                run.out()
                        .matches(
                                "(?s).*Estimated total: ~[\\d:]+ here for all 8 cells: 8 by a speed probe of a few"
                                        + " steps of residual-20 \\([1-9]\\d* GFLOP/s.*"),
                "the probe's speed is shown: " + run.out());
        assertFalse(Files.exists(dir.resolve("run")), "a dry run writes nothing");
    }

    /** The dry-run line of a cell. */
    private static String line(List<String> cells, String id) {
        return cells.stream()
                .filter(l -> l.trim().startsWith(id + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + cells));
    }

    /** The seconds of a dry-run line's {@code ~h:mm:ss}. */
    private static long estimateSeconds(String line) {
        String[] parts = line.substring(line.lastIndexOf('~') + 1).split(":");
        return Long.parseLong(parts[0]) * 3600
                + Long.parseLong(parts[1]) * 60
                + Long.parseLong(parts[2]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--depths 3              | error: Depth 3 is too small",
                "--depths 2000000000     | error: Depth 2000000000 is too large: depthsweep builds nets of 4 to 1202 layers",
                "--depths 2000000000 --dry-run | error: Depth 2000000000 is too large",
                "--depths 100000         | error: Depth 100000 is too large",
                "--depths 12,100000 --dry-run | error: Depth 100000 is too large",
                "--variants resnetv1 --depths 1203 | error: Depth 1203 is too large",
                "--variants plain,dense  | error: Unknown variant 'dense': use one of plain, residual, resnetv1",
                "--batch-size 0          | error: --batch-size must be at least 1",
                "--variants resnetv1 --depths 12 | error: resnetv1 cannot be built with depth 12",
                "--shard 4/4             | error: --shard must be K/N with 0 <= K < N",
                "--data /nonexistent/fm  | error: Fashion-MNIST folder /nonexistent/fm (the folder given) does not exist",
                "--device tpu            | error: --device must be auto, cpu or gpu",
                "--threads 999           | error: --threads must be 1 to",
                "--depths 4,4            | error: --depths lists 4 twice: give each once",
                "--variants plain,plain  | error: --variants lists plain twice: give each once",
                "--dry-run --data /nonexistent/fm | error: Fashion-MNIST folder /nonexistent/fm",
                "--dataset cifar10       | error: --dataset: Unknown dataset 'cifar10': use one of fashion-mnist, mnist, kmnist.",
                "--train-limit 60001     | error: --train-limit must be 1 to 60000 (fashion-mnist's training images), got 60001",
                "--dataset kmnist --test-limit 10001 | error: --test-limit must be 1 to 10000 (kmnist's test images), got 10001",
                "--dataset kmnist        | error: KMNIST not found: no folder given (--data DIR). Download",
                "--preset he2016warmup   | error: Invalid value for option '--preset': Unknown preset 'he2016warmup': use one of paper, he2016, he2016-warmup, quick, smoke.",
                "--optimizer sgd         | error: Unknown optimizer 'sgd': use one of adam, he2016, he2016-warmup.",
                "--preset he2016 --decay 1e-6 | error: --decay is Adam",
                "--preset quick --optimizer he2016 --decay 1e-5 | error: --decay is Adam",
                "--optimizer he2016 --preset smoke --epochs 1 --train-limit 300 | error: These settings cannot train: he2016 needs at least 3 steps to drop its rate twice, got 2.",
            })
    void badFlagsEndWithOneLineBeforeAnyTraining(String flags, String message) {
        List<String> args = new ArrayList<>(List.of(flags.trim().split("\\s+")));
        args.addAll(List.of("--out", dir.resolve("run").toString()));
        CliRun run = sweep(args.toArray(String[]::new));
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith(message), run.err());
        if (!message.matches("error: (Fashion-MNIST|KMNIST) .*")) { // the flags', not the data's
            assertTrue(run.err().strip().endsWith("(see 'depthsweep --help')"), run.err());
        }
        assertEquals(1, run.err().lines().count(), run.err());
        assertFalse(Files.exists(dir.resolve("run")), "nothing created");
    }

    /** --help says how deep a net may be, the bound a saved model's depth has too. */
    @Test
    void helpStatesTheDepthBound() {
        CliRun run = sweep("--help");
        assertEquals(0, run.code(), run.err());
        assertTrue(
                run.out().replaceAll("\\s+", " ").contains("depths (2x2 convolutions), 4 to 1202;"),
                run.out());
    }

    /** The whole --decay refusal: what is wrong and what to do. */
    @Test
    void he2016RefusesKerasDecaySayingWhy() {
        CliRun run = sweep("--preset", "he2016", "--decay", "1e-6", "--dry-run");
        assertEquals(2, run.code(), run.err());
        assertEquals(
                "error: --decay is Adam's legacy Keras decay, and he2016 has a step schedule of its"
                        + " own: leave --decay out. (see 'depthsweep --help')",
                run.err().strip());
    }

    /**
     * The he2016 preset is paper's cells and length with He et al.'s SGD; --optimizer puts it on
     * any preset, with its own default rate.
     */
    @Test
    void he2016PresetAndOptionTrainWithSgdAndItsSchedule() {
        CliRun paper = sweep("--preset", "he2016", "--depths", "12", "--dry-run");
        assertEquals(0, paper.code(), paper.err());
        assertTrue(
                paper.out()
                        .contains(
                                "25 epochs, batch 150, SGD momentum 0.9 lr 0.1, /10 after steps"
                                        + " 5,000 and 7,500, weight decay 1.0E-4, first 60,000"
                                        + " training and 10,000 test images, precise BN over 50"
                                        + " batches"),
                paper.out());
        assertEquals(Path.of("runs", "he2016"), SweepCommand.defaultRunFolder(Preset.HE2016));

        CliRun warmup = sweep("--preset", "he2016-warmup", "--depths", "50", "--dry-run");
        assertEquals(0, warmup.code(), warmup.err());
        assertTrue(
                warmup.out().contains("SGD momentum 0.9 lr 0.1 after 400 steps at 0.01, /10 after"),
                warmup.out());
        assertEquals(
                Path.of("runs", "he2016-warmup"),
                SweepCommand.defaultRunFolder(Preset.HE2016_WARMUP));

        CliRun quick =
                sweep(tiny("--optimizer", "he2016", "--lr", "0.05", "--dry-run", "--epochs", "2"));
        assertEquals(0, quick.code(), quick.err());
        assertTrue(
                quick.out().contains("SGD momentum 0.9 lr 0.05, /10 after steps 2 and 3,"),
                quick.out());
    }

    @Test
    void aMistypedOptionGetsOneLineWithASuggestionNotTheUsage() {
        CliRun run = sweep("--epoch", "3");
        assertEquals(2, run.code());
        assertEquals(
                "error: Unknown options: '--epoch', '3'; did you mean --epochs? (see 'depthsweep"
                        + " --help')",
                run.err().strip());
    }

    @Test
    void versionIsPrinted() {
        for (String flag : List.of("-V", "--version")) {
            CliRun run = sweep(flag);
            assertEquals(0, run.code(), run.err());
            assertEquals("depthsweep dev", run.out().strip(), "the version, from classes");
        }
    }

    @Test
    void unusableOutIsRefusedInOneLineThatSaysWhatToDo() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path other = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(other.resolve("holiday.jpg"), "not a run");
        List<String[]> cases =
                List.of(
                        new String[] {"/proc/x", "it cannot be created", "you can write to"},
                        new String[] {file.toString(), "it is a file", "Give a folder"},
                        new String[] {
                            file.resolve("run").toString(), file + " is a file", "another path"
                        },
                        new String[] {
                            other.toString(), "it holds other files (holiday.jpg)", "new or empty"
                        });
        for (String[] c : cases) {
            if (!c[0].startsWith("/proc")) { // only creating it shows that /proc refuses
                CliRun dryRun = sweep(tiny("--dry-run", "--out", c[0]));
                assertEquals(2, dryRun.code(), "--dry-run refuses it too: " + dryRun.err());
            }
            CliRun run = sweep(tiny("--out", c[0]));
            assertEquals(2, run.code(), run.err());
            assertTrue(
                    run.err().startsWith("error: --out " + c[0] + " cannot be used: " + c[1]),
                    run.err());
            assertTrue(run.err().contains(c[2]), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
        }
        assertEquals(List.of("holiday.jpg"), List.of(other.toFile().list()), "nothing written");
        CliRun empty = sweep(tiny("--out", ""));
        assertEquals(2, empty.code(), empty.err());
        assertEquals(
                "error: --out is empty: give a run folder, e.g. --out runs/mine.",
                empty.err().strip());
    }

    @Test
    void sweepRecordsEveryCellThenSkipsThemOnRerun() throws IOException {
        Path out = dir.resolve("run");
        CliRun first = sweep(tiny("--out", out.toString()));
        assertEquals(0, first.code(), first.err());

        for (String cell : List.of("plain-4-seed0", "residual-4-seed0")) {
            CellResult result =
                    RunFolder.JSON.readValue(
                            out.resolve("cells/" + cell + ".json").toFile(), CellResult.class);
            assertEquals(CellResult.FINISHED, result.status());
            assertEquals(1, result.epochs().size());
            assertTrue(result.finalTestAccuracy() >= 0 && result.finalPreciseBnAccuracy() != null);
            EpochResult epoch = result.epochs().get(0);
            assertTrue(
                    epoch.residentMb() > 100 && epoch.peakResidentMb() >= epoch.residentMb(),
                    "resident memory and its peak: " + epoch);
            assertEquals(
                    List.of(1), result.gradientNorms().steps(), "sampled at step 1, then every 10");
            assertEquals(5, result.gradientNorms().parts().size(), "4 stages and the head");
            ModelInfo info = SavedModel.readInfo(out.resolve(result.model()));
            assertEquals(cell.replace("-seed0", ""), info.name());
        }
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(ResultsTable.CSV_HEADER, csv.get(0));
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("plain,4,0,1,177130,"), csv.get(1));
        for (String png :
                List.of(
                        "accuracy_vs_depth.png",
                        "accuracy_per_epoch.png",
                        "gradient_norms_plain.png",
                        "gradient_norms_residual.png",
                        "gradient_norms_stage1.png")) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
        String markdown = Files.readString(out.resolve("results.md"));
        assertTrue(markdown.contains("| plain (ours) |"), markdown);
        assertTrue(
                markdown.contains(
                        "![Test accuracy against depth, as trained](accuracy_vs_depth.png)"));
        assertTrue(markdown.contains("(gradient_norms_residual.png)"), markdown);
        assertTrue(markdown.contains("(gradient_norms_stage1.png)"), markdown);
        String log = Files.readString(out.resolve("sweep.log"));
        // longest first: residual-4 has plain-4's convolutions and its shortcut's besides
        assertTrue(log.contains("[1/2] residual-4-seed0 epoch 1/1"), log);
        assertTrue(first.out().contains("cells to train: about"), "the plan's estimate");

        long modified =
                Files.getLastModifiedTime(out.resolve("cells/plain-4-seed0.json")).toMillis();
        CliRun second = sweep(tiny("--out", out.toString()));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("plain-4-seed0: already finished, skipped"), second.out());
        String appended = Files.readString(out.resolve("sweep.log"));
        assertTrue(appended.startsWith(log), "the rerun appends to sweep.log");
        assertTrue(appended.contains("plain-4-seed0: already finished, skipped"), appended);
        assertEquals(
                modified,
                Files.getLastModifiedTime(out.resolve("cells/plain-4-seed0.json")).toMillis());

        // --dry-run on the finished folder: nothing left, and it says so
        CliRun dryRun = sweep(tiny("--out", out.toString(), "--dry-run"));
        assertEquals(0, dryRun.code(), dryRun.err());
        List<String> cells = dryRun.out().lines().filter(l -> l.startsWith("  ")).toList();
        assertTrue(line(cells, "plain-4-seed0").endsWith("steps   done"), dryRun.out());
        assertTrue(line(cells, "residual-4-seed0").endsWith("steps   done"), dryRun.out());
        assertTrue(
                dryRun.out().contains("Estimated total: ~0:00:00 here for the 0 of 2 cells left"),
                dryRun.out());
        // a second seed of each: timed by the first seed's epochs, not by a speed probe
        CliRun more = sweep(tiny("--out", out.toString(), "--seeds", "2", "--dry-run"));
        assertEquals(0, more.code(), more.err());
        assertTrue(
                more.out()
                        .contains(
                                "for the 2 of 4 cells left in "
                                        + out.toAbsolutePath()
                                        + ": 2 timed by their model's finished cells on this"
                                        + " machine\n"),
                more.out());
        assertFalse(more.out().contains("GFLOP/s"), "no probe was needed: " + more.out());
        // a cell trained on another machine (a folder copied from elsewhere) times nothing here
        Path record = out.resolve("cells/plain-4-seed0.json");
        ObjectNode json = (ObjectNode) RunFolder.JSON.readTree(record.toFile());
        for (JsonNode session : json.withArray("sessions")) {
            ((ObjectNode) session.get("machine")).put("cpu", "Another CPU (family 1 model 2)");
        }
        RunFolder.JSON.writeValue(record.toFile(), json);
        CliRun moved = sweep(tiny("--out", out.toString(), "--seeds", "2", "--dry-run"));
        assertEquals(0, moved.code(), moved.err());
        assertTrue(
                moved.out()
                        .matches(
                                "(?s).*: 1 timed by their model's finished cells on this machine, 1"
                                        + " by their multiply-adds at the speed of those cells"
                                        + " \\(\\d+ GFLOP/s\\); 1 of the run folder's finished"
                                        + " cells ran on another machine or device and do not"
                                        + " count\n.*"),
                moved.out());
        assertFalse(
                moved.out().contains("speed probe"), "residual-4 times plain-4: " + moved.out());
    }

    @Test
    void resnetV1TrainsInTheSameSweepWithItsOwnParts() throws IOException {
        Path out = dir.resolve("run");
        CliRun run =
                sweep(tiny("--variants", "resnetv1", "--depths", "8", "--out", out.toString()));
        assertEquals(0, run.code(), run.err());
        CellResult result =
                RunFolder.JSON.readValue(
                        out.resolve("cells/resnetv1-8-seed0.json").toFile(), CellResult.class);
        assertEquals(CellResult.FINISHED, result.status());
        assertEquals(78_682, result.parameters());
        assertEquals(
                "07Linear", result.gradientNorms().parts().get(4), "DJL's names for its parts");
        assertEquals("resnetv1", SavedModel.readInfo(out.resolve(result.model())).architecture());
    }

    @Test
    void otherSettingsCannotShareAFolder() {
        Path out = dir.resolve("run");
        assertEquals(0, sweep(tiny("--variants", "plain", "--out", out.toString())).code());
        CliRun other = sweep(tiny("--variants", "plain", "--epochs", "2", "--out", out.toString()));
        assertEquals(2, other.code());
        assertTrue(other.err().contains("holds a sweep with other settings"), other.err());
        CliRun dryRun =
                sweep(
                        tiny(
                                "--variants",
                                "plain",
                                "--epochs",
                                "2",
                                "--out",
                                out.toString(),
                                "--dry-run"));
        assertEquals(2, dryRun.code(), "--dry-run refuses it too: " + dryRun.out());
        assertTrue(dryRun.err().contains("holds a sweep with other settings"), dryRun.err());
    }

    /**
     * MNIST from a folder of IDX files, end to end: the run records its dataset, its models name
     * digits, and Fashion-MNIST's settings cannot share its folder.
     */
    @Test
    void mnistFromAFolderIsRecordedInTheProtocolAndTheModels() throws IOException {
        Path data = Files.createDirectory(dir.resolve("mnist"));
        IdxWriter.writeStripes(data, 300, 100, true);
        Path out = dir.resolve("run");
        String[] mnist = {"--dataset", "mnist", "--data", data.toString()};
        CliRun run = sweep(tiny(concat(mnist, "--variants", "plain", "--out", out.toString())));
        assertEquals(0, run.code(), run.err());
        Protocol protocol =
                RunFolder.JSON.readValue(
                        out.resolve(RunFolder.PROTOCOL_FILE).toFile(), Protocol.class);
        assertEquals("mnist", protocol.dataset());
        CellResult result =
                RunFolder.JSON.readValue(
                        out.resolve("cells/plain-4-seed0.json").toFile(), CellResult.class);
        assertEquals(protocol, result.protocol());
        ModelInfo info = SavedModel.readInfo(out.resolve(result.model()));
        assertEquals("mnist", info.dataset());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), info.classes());
        String log = Files.readString(out.resolve("sweep.log"));
        assertTrue(log.contains("data from " + data), log);
        assertTrue(log.contains("settings: mnist, 1 epochs"), log);

        CliRun fashion = sweep(tiny("--variants", "plain", "--out", out.toString()));
        assertEquals(2, fashion.code());
        assertTrue(
                fashion.err().contains("holds a sweep with other settings (mnist,"), fashion.err());
    }

    /**
     * MNIST with no folder needs DJL's download; offline that is the environment's failure (74, a
     * retry may help), in one line that says to pass the files instead.
     */
    @Test
    void mnistOfflineWithoutAFolderEndsWith74SayingToPassOne() {
        String before = System.getProperty("ai.djl.offline");
        System.setProperty("ai.djl.offline", "true");
        try {
            CliRun run = sweep(tiny("--dataset", "mnist", "--out", dir.resolve("run").toString()));
            assertEquals(74, run.code(), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(
                    run.err()
                            .startsWith(
                                    "error: MNIST not found: no folder given (--data DIR),"
                                            + " and DJL is offline, so it could not download it. Pass --data DIR"),
                    run.err());
            assertFalse(Files.exists(dir.resolve("run")), "nothing created");
        } finally {
            if (before == null) {
                System.clearProperty("ai.djl.offline");
            } else {
                System.setProperty("ai.djl.offline", before);
            }
        }
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** kill -9 after the first cell: the finished cell survives whole and is not trained again. */
    @Test
    void killedSweepResumesWhereItStopped() throws Exception {
        Path out = dir.resolve("run");
        Path firstCell = out.resolve("cells/plain-8-seed0.json"); // longest first
        SweepProcess process =
                SweepProcess.start(
                        dir.resolve("killed.log"),
                        tiny("--depths", "4,8", "--variants", "plain", "--out", out.toString()));
        try {
            assertTrue(process.awaitFile(firstCell), process.output());
        } finally {
            process.kill(); // SIGKILL: no shutdown hooks, no cleanup
        }
        assertTrue(Files.readString(firstCell).trim().endsWith("}"), "never half-written");

        CliRun resumed =
                sweep(tiny("--depths", "4,8", "--variants", "plain", "--out", out.toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(
                resumed.out().contains("plain-8-seed0: already finished, skipped"), resumed.out());
        assertTrue(resumed.out().contains("plain-4-seed0 epoch 1/1"), resumed.out());
        try (Stream<Path> cells = Files.list(out.resolve("cells"))) {
            assertEquals(2, cells.filter(f -> f.toString().endsWith(".json")).count());
        }
    }

    @Test
    void nonFiniteLossEndsTheCellAsFailedAndTheSweepGoesOn() throws IOException {
        Path out = dir.resolve("run");
        CliRun run = sweep(tiny("--lr", "1e30", "--out", out.toString()));
        assertEquals(0, run.code(), run.err());
        CellResult plain =
                RunFolder.JSON.readValue(
                        out.resolve("cells/plain-4-seed0.json").toFile(), CellResult.class);
        assertEquals(CellResult.FAILED, plain.status());
        assertTrue(plain.failure().startsWith("training loss became"), plain.failure());
        assertTrue(Files.exists(out.resolve("cells/residual-4-seed0.json")), "the sweep went on");
        assertTrue(
                Files.readString(out.resolve("results.md"))
                        .contains("failed: training loss became"));
    }

    @Test
    void shardsRunDisjointCellsAndMergeIntoOneTable() throws IOException {
        Path a = dir.resolve("shard0");
        Path b = dir.resolve("shard1");
        assertEquals(0, sweep(tiny("--shard", "0/2", "--out", a.toString())).code());
        assertEquals(0, sweep(tiny("--shard", "1/2", "--out", b.toString())).code());
        assertTrue(Files.exists(a.resolve("cells/plain-4-seed0.json")));
        assertFalse(Files.exists(a.resolve("cells/residual-4-seed0.json")));
        assertTrue(Files.exists(b.resolve("cells/residual-4-seed0.json")));

        Path merged = dir.resolve("merged");
        CliRun merge = sweep("merge", a.toString(), b.toString(), "--out", merged.toString());
        assertEquals(0, merge.code(), merge.err());
        List<String> csv = Files.readAllLines(merged.resolve("results.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        assertTrue(Files.exists(merged.resolve("accuracy_vs_depth.png")));

        CliRun bad = sweep("merge", dir.resolve("nothing").toString(), "--out", merged.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("is not a depthsweep run folder"), bad.err());

        // A damaged record: merge names it and refuses; the sweep sets it aside and retrains it.
        Path record = a.resolve("cells/plain-4-seed0.json");
        Files.writeString(record, "{}");
        CliRun refused = sweep("merge", a.toString(), b.toString(), "--out", merged.toString());
        assertEquals(2, refused.code(), refused.err());
        assertEquals(
                "error: "
                        + a.toAbsolutePath()
                        + "/cells/plain-4-seed0.json cannot be used (it lacks its id, variant,"
                        + " status, protocol or epochs): move it away.",
                refused.err().strip());
        assertEquals(3, Files.readAllLines(merged.resolve("results.csv")).size(), "unchanged");
        CliRun retrained = sweep(tiny("--shard", "0/2", "--out", a.toString()));
        assertEquals(0, retrained.code(), retrained.err());
        assertTrue(retrained.out().contains("set aside as plain-4-seed0.json.rejected"));
        assertTrue(retrained.out().contains("plain-4-seed0 epoch 1/1"), retrained.out());
        assertEquals(
                CellResult.FINISHED,
                RunFolder.JSON.readValue(record.toFile(), CellResult.class).status());
    }

    /**
     * A full disk (a 300 KB tmpfs, where root may mount one) ends the sweep with 74, "retry may
     * help", in one line that names the file it could not write, also in sweep.log.
     */
    @Test
    void aFullDiskEndsWith74NamingTheFile() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        Process mount =
                new ProcessBuilder(
                                "mount",
                                "-t",
                                "tmpfs",
                                "-o",
                                "size=300k",
                                "tmpfs",
                                small.toString())
                        .redirectErrorStream(true)
                        .start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a tmpfs");
        try {
            CliRun run =
                    sweep(tiny("--variants", "plain", "--out", small.resolve("run").toString()));
            assertEquals(74, run.code(), run.err());
            List<String> errors = run.err().lines().filter(l -> l.startsWith("error:")).toList();
            assertEquals(1, errors.size(), run.err());
            assertTrue(
                    errors.get(0)
                            .matches(
                                    "error: cannot write "
                                            + small
                                            + "/run/\\S+: No space left on device"),
                    errors.get(0));
            assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }

    /** The tiny sweep of plain-4 and residual-4, or of the depths the test names. */
    private static String[] tiny(String... more) {
        List<String> args = new ArrayList<>(List.of(TINY));
        if (!List.of(more).contains("--depths")) {
            args.addAll(List.of("--depths", "4"));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static CliRun sweep(String... args) {
        return CliRun.of(args);
    }
}
