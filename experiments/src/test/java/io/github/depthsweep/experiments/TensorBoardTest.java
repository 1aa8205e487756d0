package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.experiments.tensorboard.RunEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep's TensorBoard events and their export, on real data: the export writes what live
 * writing wrote, and events that cannot be written cost one warning line, never the training.
 * Resumed cells' events are checked with the rest of their training ({@link CheckpointTest}), and
 * TensorBoard itself reads them in {@code .ci/tensorboard-tests.sh}.
 */
class TensorBoardTest {

    private static final List<String> CELLS = List.of("plain-4-seed0", "residual-4-seed0");

    @TempDir static Path shared;
    private static Path run;

    @TempDir Path dir;

    @BeforeAll
    static void sweep() {
        run = shared.resolve("smoke");
        CliRun sweep = CliRun.of(args(run));
        assertEquals(0, sweep.code(), sweep.err());
    }

    @Test
    void theExportWritesTheEventsTheSweepWrote() throws IOException {
        Path out = dir.resolve("exported");
        CliRun export = CliRun.of("tensorboard", run.toString(), "--out", out.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("view them: tensorboard --logdir " + out), export.out());
        for (String cell : CELLS) {
            assertEquals(
                    Charts.timeless(Charts.file(run.resolve(RunEvents.FOLDER), cell)),
                    Charts.timeless(Charts.file(out.resolve("smoke"), cell)),
                    cell);
        }
        assertEquals(
                Charts.timeless(Charts.file(run.resolve(RunEvents.FOLDER), RunEvents.PLOTS)),
                Charts.timeless(Charts.file(out.resolve("smoke"), RunEvents.PLOTS)));

        CliRun again = CliRun.of("tensorboard", run.toString(), "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        for (String cell : CELLS) {
            Charts.file(out.resolve("smoke"), cell); // still one file: the older one replaced
        }
    }

    @Test
    void theExportNeverMixesTwoRuns() throws IOException {
        Path out = dir.resolve("exported");
        assertEquals(0, CliRun.of("tensorboard", run.toString(), "--out", out.toString()).code());
        Path other = Files.createDirectories(dir.resolve("elsewhere/smoke/cells"));
        CliRun mixed =
                CliRun.of("tensorboard", other.getParent().toString(), "--out", out.toString());
        assertEquals(ExitCode.BAD_INPUT, mixed.code(), mixed.out());
        assertEquals(1, mixed.err().lines().count(), mixed.err());
        assertTrue(mixed.err().contains("holds the export of another run"), mixed.err());

        CliRun twice =
                CliRun.of(
                        "tensorboard",
                        run.toString(),
                        other.getParent().toString(),
                        "--out",
                        dir.resolve("both").toString());
        assertEquals(ExitCode.BAD_INPUT, twice.code(), twice.out());
        assertTrue(twice.err().contains("Two run folders are named smoke"), twice.err());
    }

    @Test
    void anUnwritableTensorBoardFolderIsOneWarningAndTrainingGoesOn() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("unwritable"));
        Files.writeString(folder.resolve(RunEvents.FOLDER), "not a folder");
        CliRun sweep = CliRun.of(args(folder));
        assertEquals(0, sweep.code(), sweep.err());
        List<String> warnings =
                sweep.out().lines().filter(line -> line.contains("TensorBoard")).toList();
        assertEquals(1, warnings.size(), sweep.out());
        assertTrue(
                warnings.get(0)
                        .startsWith(
                                "warning: TensorBoard events are not written ("
                                        + folder.toAbsolutePath().resolve(RunEvents.FOLDER)),
                warnings.get(0));
        assertTrue(warnings.get(0).contains("Not a directory); training goes on"), warnings.get(0));
        assertFalse((sweep.out() + sweep.err()).contains("Exception"), sweep.out() + sweep.err());
        for (String cell : CELLS) {
            assertTrue(Files.exists(folder.resolve("cells/" + cell + ".json")), cell);
        }
        assertEquals("not a folder", Files.readString(folder.resolve(RunEvents.FOLDER)));

        Path out = dir.resolve("rebuilt");
        CliRun export = CliRun.of("tensorboard", folder.toString(), "--out", out.toString());
        assertEquals(0, export.code(), export.err());
        for (String cell : CELLS) {
            Charts.file(out.resolve("unwritable"), cell);
        }
    }

    @Test
    void anotherWritersEventFileIsNeitherMixedInNorDeleted() throws IOException {
        Path folder = dir.resolve("foreign");
        Path foreign = folder.resolve("tensorboard/plain-4-seed0/events.out.tfevents.1.other");
        Files.createDirectories(foreign.getParent());
        Files.writeString(foreign, "someone else's");
        CliRun sweep = CliRun.of(args(folder));
        assertEquals(0, sweep.code(), sweep.err());
        List<String> warnings =
                sweep.out().lines().filter(line -> line.startsWith("warning:")).toList();
        assertEquals(1, warnings.size(), sweep.out());
        assertTrue(warnings.get(0).contains("depthsweep did not write"), warnings.get(0));
        try (var files = Files.list(foreign.getParent())) {
            assertEquals(List.of(foreign), files.toList(), "nothing written beside it");
        }
        assertEquals("someone else's", Files.readString(foreign));
        Charts.file(folder.resolve(RunEvents.FOLDER), "residual-4-seed0");
    }

    private static String[] args(Path out) {
        return new String[] {
            "--preset",
            "smoke",
            "--train-limit",
            "1500",
            "--test-limit",
            "100",
            "--precise-bn",
            "2",
            "--epochs",
            "2",
            "--depths",
            "4",
            "--out",
            out.toString()
        };
    }
}
