package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.experiments.run.CellProgress;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.sweep.StopSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints end to end on real data: a cell interrupted mid-run, by a crash at a chosen step or
 * by SIGTERM or Ctrl-C, and resumed gives bit for bit the losses, accuracies, gradient norms and
 * weights of a run that never stopped, and TensorBoard's events show its points; damaged and
 * foreign checkpoints are reported in one line and never restored.
 *
 * <p>The sweep: plain-4 (finishes first, so a finished cell sits beside the interrupted one), then
 * plain-12 for 2 epochs of 10 steps, checkpointed every 2 steps. Crashes happen in this process, at
 * a chosen step ({@link InterruptAt}); signals go to a separate process, as a user's would.
 */
class CheckpointTest {

    private static final String CELL = "plain-12-seed0";

    @TempDir static Path shared;
    private static Path uninterrupted;
    private static Path stopped;

    @TempDir Path dir;

    /**
     * One run that never stops, and one that crashes at plain-12's 5th step, after the checkpoint
     * of step 4: the tests compare against the first and resume copies of the second.
     */
    @BeforeAll
    static void runOnceUninterruptedAndOnceStopped() {
        uninterrupted = shared.resolve("uninterrupted");
        CliRun run = CliRun.of(args(uninterrupted, "4,12", false));
        assertEquals(0, run.code(), run.err());

        stopped = shared.resolve("stopped");
        CliRun finished = CliRun.of(args(stopped, "4", true));
        assertEquals(0, finished.code(), finished.err());
        // plain-12 first (longest first), crashed at its 5th step
        CliRun crashed = CliRun.of(new InterruptAt(5), args(stopped, "4,12", true));
        assertEquals(1, crashed.code(), crashed.out());
        assertTrue(crashed.err().contains("interrupted by the test at step 5"), crashed.err());
    }

    @Test
    void aCrashMidCellResumesExactlyFromTheLastCheckpoint() throws IOException {
        assertTrue(Files.exists(stopped.resolve("cells/plain-4-seed0.json")));
        assertFalse(Files.exists(stopped.resolve("cells/" + CELL + ".json")), "not finished");

        Path resumed = copy(stopped, dir.resolve("resumed"));
        List<String> dryRun = new ArrayList<>(List.of(args(resumed, "4,12", true)));
        dryRun.add("--dry-run");
        CliRun plan = CliRun.of(dryRun.toArray(String[]::new));
        assertEquals(0, plan.code(), plan.err());
        assertTrue(
                plan.out().matches("(?s).*\n  plain-4-seed0 .* done\n.*"),
                "what --dry-run says is left: " + plan.out());
        assertTrue(
                plan.out()
                        .matches(
                                "(?s).*\n  "
                                        + CELL
                                        + " .* ~[\\d:]+, resumes from its checkpoint in epoch"
                                        + " 1\n.*for the 1 of 2 cells left in .*: 1 by their"
                                        + " multiply-adds at the speed of this machine's finished"
                                        + " cells \\(\\d+ GFLOP/s\\)\n.*"),
                "plain-4-seed0 finished here, so no speed probe: " + plan.out());
        CliRun run = sweep(resumed, true);
        assertEquals(0, run.code(), run.err());
        assertTrue(
                run.out()
                        .contains(
                                CELL
                                        + ": resuming from its checkpoint at step 4 of 20 (epoch 1,"
                                        + " 4 of 10 steps done; session 2)"),
                run.out());
        assertTrue(
                run.out()
                        .matches(
                                "(?s).*"
                                        + CELL
                                        + " epoch 1/2: [^\n]*\\| sweep ETA \\d+:\\d\\d:\\d\\d\n.*"),
                "6 of epoch 1's 10 steps ran here, and time the ETA: " + run.out());
        assertSameTraining(resumed);
        CellResult result = result(resumed);
        assertEquals(2, result.sessions().size(), "two processes trained it");
        assertEquals(4, result.sessions().get(0).toStep(), "the first one's last checkpoint");
        assertEquals(4, result.sessions().get(1).fromStep());
        assertEquals(20, result.sessions().get(1).toStep());
        for (CellProgress.Session session : result.sessions()) {
            assertFalse(session.wallTime().orElseThrow().isNegative(), "each session's end saved");
        }
        assertTrue(result.wallTime().isPresent());
        try (Stream<Path> left = Files.list(resumed.resolve("checkpoints"))) {
            assertEquals(0, left.count(), "a finished cell drops its checkpoints");
        }
    }

    /** Without --checkpoint-every, a crash in epoch 2 resumes from the end of epoch 1. */
    @Test
    void aCrashWithEpochCheckpointsOnlyResumesFromTheEpochsEnd() throws IOException {
        Path out = dir.resolve("epochs");
        CliRun crashed = CliRun.of(new InterruptAt(13), args(out, "12", false));
        assertEquals(1, crashed.code(), crashed.out());

        CliRun run = CliRun.of(args(out, "12", false));
        assertEquals(0, run.code(), run.err());
        assertTrue(
                run.out().contains(CELL + ": resuming from its checkpoint at step 10 of 20"),
                run.out());
        assertSameTraining(out);
    }

    /**
     * SIGTERM (Slurm's time limit, {@code kill}) to a sweep with a relative --out, as users run it:
     * a checkpoint, the command to rerun, exit code 75; that command resumes.
     */
    @Test
    void sigtermSavesACheckpointSaysHowToResumeAndExitsWith75() throws Exception {
        Path folder = dir.resolve("stopped");
        SweepProcess process =
                SweepProcess.startIn(
                        dir, dir.resolve("stopped.log"), args(Path.of("stopped"), "12", true));
        assertTrue(process.awaitFile(checkpoint(folder)), process.output());
        process.terminate();
        assertEquals(StopSignal.EXIT_CODE, process.exitCode(), process.output());
        String last = process.output().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(
                last.startsWith("SIGTERM: stopped with " + CELL + " at step ")
                        && last.contains(" in checkpoints/" + CELL + ".ckpt saved.")
                        && last.contains(
                                "Resume: rerun the same command: mvn -pl experiments exec:java"
                                        + " -Dexec.args='--preset smoke")
                        && last.contains("--out stopped"),
                last);
        assertFalse(Files.exists(folder.resolve("cells/" + CELL + ".json")), "not finished");

        CliRun run = CliRun.of(args(folder, "12", true));
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains(CELL + ": resuming from its checkpoint at step"), run.out());
        assertSameTraining(folder);
    }

    /**
     * The README's main command as a user runs it: no --out (the preset's folder, relative to where
     * the command runs), Ctrl-C at a checkpoint, then the very same command again, which resumes.
     */
    @Test
    void ctrlCThenTheSameCommandResumesInTheDefaultFolder() throws Exception {
        List<String> command = new ArrayList<>(List.of(args(Path.of("unused"), "12", true)));
        int out = command.indexOf("--out");
        command.subList(out, out + 2).clear();
        String[] args = command.toArray(String[]::new);
        Path folder = dir.resolve("runs/smoke");

        SweepProcess first = SweepProcess.startIn(dir, dir.resolve("first.log"), args);
        assertTrue(first.awaitFile(checkpoint(folder)), first.output());
        first.interrupt();
        assertEquals(StopSignal.EXIT_CODE, first.exitCode(), first.output());
        assertTrue(first.output().contains("SIGINT: stopped with " + CELL), first.output());
        assertTrue(first.output().contains("writing to runs/smoke (--preset smoke's folder)"));

        SweepProcess again = SweepProcess.startIn(dir, dir.resolve("again.log"), args);
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(
                again.output().contains(CELL + ": resuming from its checkpoint"), again.output());
        assertSameTraining(folder);
    }

    /**
     * He et al.'s SGD: its momentum buffers and its place in the step schedule (the rate drops
     * after steps 10 and 15 of 20) survive the checkpoint. The crash at step 13 resumes from the
     * checkpoint of step 12, between the two drops.
     */
    @Test
    void anHe2016CellCrashedMidRunResumesExactly() throws Exception {
        Path whole = dir.resolve("he2016-whole");
        CliRun run = CliRun.of(he2016(args(whole, "12", false)));
        assertEquals(0, run.code(), run.err());
        assertTrue(
                run.out().contains("SGD momentum 0.9 lr 0.1, /10 after steps 10 and 15"),
                run.out());

        Path out = dir.resolve("he2016-crashed");
        CliRun crashed = CliRun.of(new InterruptAt(13), he2016(args(out, "12", true)));
        assertEquals(1, crashed.code(), crashed.out());
        assertFalse(Files.exists(out.resolve("cells/" + CELL + ".json")), "crashed mid-cell");
        CliRun resumed = CliRun.of(he2016(args(out, "12", true)));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(
                resumed.out().contains(CELL + ": resuming from its checkpoint at step 12 of 20"),
                resumed.out());
        assertSameTraining(whole, out);
        assertFalse(
                result(whole).stepLosses().equals(result(uninterrupted).stepLosses()),
                "SGD trained, not Adam");
    }

    private static String[] he2016(String[] args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--optimizer", "he2016"));
        return all.toArray(String[]::new);
    }

    @Test
    void aSecondSigtermStopsAtOnceAndTheLastCheckpointStillHolds() throws Exception {
        Path out = dir.resolve("twice");
        SweepProcess process = SweepProcess.start(dir.resolve("twice.log"), args(out, "12", true));
        assertTrue(process.awaitFile(checkpoint(out)), process.output());
        process.terminate();
        // Signals of one kind sent together arrive as one: wait until the first is taken, then
        // send the second while the step and its checkpoint are still under way.
        assertTrue(process.awaitOutput("SIGTERM: stopping after this step"), process.output());
        process.terminate();
        assertEquals(128 + 15, process.exitCode(), process.output());

        CliRun run = CliRun.of(args(out, "12", true));
        assertEquals(0, run.code(), run.err());
        assertSameTraining(out);
    }

    @Test
    void aTruncatedCheckpointIsReportedAndTheOneBeforeItUsed() throws IOException {
        Path out = copy(stopped, dir.resolve("truncated"));
        Path file = checkpoint(out);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        long finished =
                Files.getLastModifiedTime(out.resolve("cells/plain-4-seed0.json")).toMillis();

        CliRun run = sweep(out, true);
        assertEquals(0, run.code(), run.err());
        assertOneWarning(
                run,
                "warning: Checkpoint " + file + " cannot be used: it is truncated or damaged.");
        assertTrue(run.out().contains("Trying the one before it."), run.out());
        assertTrue(run.out().contains(CELL + ": resuming from its checkpoint at step"), run.out());
        assertSameTraining(out);
        assertEquals(
                finished,
                Files.getLastModifiedTime(out.resolve("cells/plain-4-seed0.json")).toMillis(),
                "the finished cell is untouched");
    }

    @Test
    void whenEveryCheckpointIsDamagedTheCellStartsAgainFromScratch() throws IOException {
        Path out = copy(stopped, dir.resolve("damaged"));
        for (String name : List.of(CELL + ".ckpt", CELL + ".previous.ckpt")) {
            Path file = out.resolve("checkpoints").resolve(name);
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 3] ^= 0x01;
            Files.write(file, bytes);
        }
        CliRun run = sweep(out, true);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("its checksum does not match"), run.out());
        assertTrue(run.out().contains("Starting " + CELL + " from scratch."), run.out());
        assertFalse(run.out().contains("resuming"), run.out());
        assertSameTraining(out); // from scratch is the same run, seeded the same way
        assertEquals(1, result(out).sessions().size());
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefused() throws IOException {
        Path out = dir.resolve("other");
        Files.createDirectories(out.resolve("checkpoints"));
        Files.copy(checkpoint(stopped), checkpoint(out));
        List<String> args = new ArrayList<>(List.of(args(out, "12", true)));
        args.addAll(List.of("--lr", "2e-4"));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        assertOneWarning(
                run,
                "warning: Checkpoint "
                        + checkpoint(out)
                        + " cannot be used: it was written under other settings (2 epochs, batch"
                        + " 150, Adam lr 1.0E-4");
        assertEquals(1, result(out).sessions().size(), "trained from scratch");
    }

    @Test
    void aCheckpointOfAnotherCellIsRefused() throws IOException {
        Path out = copy(stopped, dir.resolve("another"));
        Path residual = out.resolve("checkpoints/residual-12-seed0.ckpt");
        Files.copy(checkpoint(out), residual);
        CliRun run = CliRun.of(args(out, "residual", "12", false));
        assertEquals(0, run.code(), run.err());
        assertOneWarning(
                run,
                "warning: Checkpoint "
                        + residual
                        + " cannot be used: it belongs to cell "
                        + CELL
                        + ", not residual-12-seed0.");
        assertTrue(Files.exists(checkpoint(out)), "plain-12's own checkpoint is left alone");
    }

    /** The losses, accuracies, gradient norms and weights are those of the uninterrupted run. */
    private static void assertSameTraining(Path out) throws IOException {
        assertSameTraining(uninterrupted, out);
    }

    /** The losses, accuracies, gradient norms and weights are those of another run. */
    private static void assertSameTraining(Path uninterrupted, Path out) throws IOException {
        CellResult expected = result(uninterrupted);
        CellResult actual = result(out);
        assertEquals(20, actual.stepLosses().size());
        assertEquals(expected.stepLosses(), actual.stepLosses(), "every step's loss");
        assertEquals(accuracies(expected), accuracies(actual), "every epoch's test accuracies");
        assertEquals(expected.gradientNorms().steps(), actual.gradientNorms().steps());
        for (int i = 0; i < expected.gradientNorms().norms().size(); i++) {
            assertArrayEquals(
                    expected.gradientNorms().norms().get(i), actual.gradientNorms().norms().get(i));
        }
        assertEquals(
                Charts.points(uninterrupted, CELL),
                Charts.points(out, CELL),
                "TensorBoard's points: none twice, none missing");
        Path params = Path.of("models", CELL, "plain-12-0000.params");
        assertArrayEquals(
                Files.readAllBytes(uninterrupted.resolve(params)),
                Files.readAllBytes(out.resolve(params)),
                "the final weights, byte for byte");
    }

    private static List<String> accuracies(CellResult result) {
        return result.epochs().stream()
                .map(e -> e.epoch() + ":" + e.testAccuracy() + ":" + e.preciseBnTestAccuracy())
                .toList();
    }

    private static void assertOneWarning(CliRun run, String start) {
        List<String> warnings = run.out().lines().filter(l -> l.startsWith("warning:")).toList();
        assertEquals(1, warnings.size(), run.out());
        assertTrue(warnings.get(0).startsWith(start), warnings.get(0));
    }

    private static CellResult result(Path out) throws IOException {
        return RunFolder.JSON.readValue(
                out.resolve("cells/" + CELL + ".json").toFile(), CellResult.class);
    }

    private static Path checkpoint(Path out) {
        return out.resolve("checkpoints/" + CELL + ".ckpt");
    }

    /** Resumes, or runs, plain-4 and plain-12 into a folder, checkpointing every 2 steps. */
    private static CliRun sweep(Path out, boolean checkpointOften) {
        return CliRun.of(args(out, "4,12", checkpointOften));
    }

    private static String[] args(Path out, String depths, boolean checkpointOften) {
        return args(out, "plain", depths, checkpointOften);
    }

    private static String[] args(
            Path out, String variants, String depths, boolean checkpointOften) {
        List<String> args =
                new ArrayList<>(
                        List.of(
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
                                "--variants",
                                variants,
                                "--depths",
                                depths,
                                "--out",
                                out.toString()));
        if (checkpointOften) {
            args.addAll(List.of("--checkpoint-every", "2"));
        }
        return args.toArray(String[]::new);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
