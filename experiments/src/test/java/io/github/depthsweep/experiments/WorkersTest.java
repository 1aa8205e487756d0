package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.tensorboard.RunEvents;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several workers on one run folder share its cells through claims: each cell is trained exactly
 * once, a live worker's claim is respected, and a dead worker's claim is taken over.
 */
class WorkersTest {

    private static final Pattern TRAINED = Pattern.compile("\\] (\\S+-seed0) epoch 1/1");

    @TempDir Path dir;

    @Test
    void twoWorkersOnOneFolderTrainEveryCellExactlyOnce() throws Exception {
        Path out = dir.resolve("run");
        SweepProcess a = SweepProcess.start(dir.resolve("a.log"), tiny(out, "--threads", "1"));
        SweepProcess b = SweepProcess.start(dir.resolve("b.log"), tiny(out, "--threads", "1"));
        assertEquals(0, a.exitCode(), a.output());
        assertEquals(0, b.exitCode(), b.output());

        Set<String> byA = trained(a.output());
        Set<String> byB = trained(b.output());
        Set<String> both = new HashSet<>(byA);
        both.retainAll(byB);
        assertTrue(both.isEmpty(), "trained twice: " + both);
        Set<String> all = new HashSet<>(byA);
        all.addAll(byB);
        assertEquals(
                Set.of("plain-4-seed0", "residual-4-seed0", "plain-8-seed0", "residual-8-seed0"),
                all,
                a.output() + b.output());
        for (CellResult result : RunFolder.existing(out).results()) {
            assertEquals(CellResult.FINISHED, result.status());
            assertEquals(1, result.sessions().size(), result.id() + " trained by one worker");
            assertEquals(1, result.sessions().get(0).machine().threads(), "--threads 1");
            Charts.file(out.resolve(RunEvents.FOLDER), result.id()); // one writer per cell
        }
        Charts.file(out.resolve(RunEvents.FOLDER), RunEvents.PLOTS); // the last redraw's
        try (var claims = Files.list(out.resolve("claims"))) {
            assertEquals(0, claims.count(), "every claim released");
        }
        assertEquals(5, Files.readAllLines(out.resolve("results.csv")).size(), "header + 4 cells");
    }

    @Test
    void aLiveWorkersClaimIsLeftAloneAndADeadOnesIsTakenOver() throws IOException {
        Path out = dir.resolve("run");
        Files.createDirectories(out.resolve("claims"));
        // plain-4: another machine's worker, heartbeat a second ago: alive.
        Path live = Files.writeString(out.resolve("claims/plain-4-seed0.claim"), "node7:42:1");
        // residual-4: another machine's worker, silent for an hour: dead.
        Path stale = Files.writeString(out.resolve("claims/residual-4-seed0.claim"), "node8:43:1");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        // plain-8: a worker of this host whose process has ended: dead at once.
        String host = InetAddress.getLocalHost().getHostName();
        Files.writeString(out.resolve("claims/plain-8-seed0.claim"), host + ":999999999:1");

        CliRun run = CliRun.of(tiny(out));
        assertEquals(0, run.code(), run.err());
        assertTrue(
                run.out().contains("plain-4-seed0: being trained by another worker, skipped"),
                run.out());
        assertTrue(
                run.out().contains("residual-4-seed0: taking over from worker node8:43:1, silent"),
                run.out());
        assertTrue(
                run.out()
                        .contains(
                                "plain-8-seed0: taking over from worker "
                                        + host
                                        + ":999999999:1, whose process on this host has ended"),
                run.out());
        assertEquals(
                Set.of("residual-4-seed0", "plain-8-seed0", "residual-8-seed0"),
                trained(run.out()));
        assertTrue(
                run.out().contains("done here: 1 cells are being trained by other workers"),
                run.out());
        assertTrue(Files.exists(live), "the live claim stays");
        assertFalse(Files.exists(out.resolve("cells/plain-4-seed0.json")));
    }

    /**
     * A worker of this host whose process lives but makes no progress (hung, stopped, or far too
     * slow) stops beating; once its claim is older than the timeout it is taken over here too. A
     * claim file that is not a worker's at all is taken over at once.
     */
    @Test
    void aLiveButSilentWorkerOfThisHostIsTakenOverAfterTheTimeout() throws IOException {
        Path out = dir.resolve("run");
        Files.createDirectories(out.resolve("claims"));
        String host = InetAddress.getLocalHost().getHostName();
        ProcessHandle self = ProcessHandle.current(); // alive, for sure
        String alive =
                host
                        + ":"
                        + self.pid()
                        + ":"
                        + self.info().startInstant().orElseThrow().toEpochMilli();
        // plain-4: alive and beating a moment ago: left alone.
        Files.writeString(out.resolve("claims/plain-4-seed0.claim"), alive);
        // residual-4: alive, but silent for ten minutes: hung.
        Path hung = Files.writeString(out.resolve("claims/residual-4-seed0.claim"), alive);
        Files.setLastModifiedTime(hung, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        // plain-8: garbage.
        Files.writeString(out.resolve("claims/plain-8-seed0.claim"), "not a worker");

        CliRun run = CliRun.of(tiny(out));
        assertEquals(0, run.code(), run.err());
        assertTrue(
                run.out().contains("plain-4-seed0: being trained by another worker, skipped"),
                run.out());
        assertTrue(
                run.out()
                        .contains(
                                "residual-4-seed0: taking over from worker "
                                        + alive
                                        + ", silent for"),
                run.out());
        assertTrue(run.out().contains("s (timeout 120 s): it stopped, hung or lost its host"));
        assertTrue(
                run.out()
                        .contains(
                                "plain-8-seed0: taking over from worker not a worker, whose claim"
                                        + " file is not a worker's ('not a worker')"),
                run.out());
        assertFalse(run.out().contains("resuming from its checkpoint"), "there was none");
        assertEquals(
                Set.of("residual-4-seed0", "plain-8-seed0", "residual-8-seed0"),
                trained(run.out()));
    }

    private static Set<String> trained(String output) {
        Set<String> cells = new HashSet<>();
        Matcher matcher = TRAINED.matcher(output);
        while (matcher.find()) {
            cells.add(matcher.group(1));
        }
        return cells;
    }

    /** Four tiny cells: plain and residual at depths 4 and 8, 2 steps each. */
    private static String[] tiny(Path out, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--preset",
                                "smoke",
                                "--train-limit",
                                "300",
                                "--test-limit",
                                "100",
                                "--precise-bn",
                                "2",
                                "--out",
                                out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
