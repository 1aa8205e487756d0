package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.depthsweep.experiments.run.RunFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar, {@code experiments/target/depthsweep.jar}, as a user runs it: {@code --json}
 * gives clean JSON on stdout and nothing else, and a sweep's console carries only its own lines
 * while {@code sweep.log} keeps DJL's as well. Runs after {@code package} (failsafe).
 */
class LauncherIT {

    private static final Path JAR = Path.of("target", "depthsweep.jar");

    @TempDir Path dir;

    @Test
    void benchJsonIsOneCleanJsonObjectPerModelOnStdout() throws Exception {
        Output run =
                jar(
                        "bench",
                        "--models",
                        "plain-12,residual-12",
                        "--steps",
                        "1",
                        "--warmup",
                        "0",
                        "--json");
        assertEquals(0, run.code(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals(2, lines.size(), run.stdout());
        for (String line : lines) {
            JsonNode row = RunFolder.JSON.readTree(line); // fails on anything but JSON
            assertTrue(row.get("train_images_per_s").asDouble() > 0, line);
        }
        assertEquals("plain-12", RunFolder.JSON.readTree(lines.get(0)).get("name").asText());
        assertFalse(run.stderr().contains("INFO"), "DJL's lines only with --verbose");
    }

    @Test
    void aSweepShowsItsOwnLinesAndKeepsEverythingInSweepLog() throws Exception {
        Path out = dir.resolve("run");
        Output run = jar(sweep(out));
        assertEquals(0, run.code(), run.stderr());
        String console = run.stdout() + run.stderr();
        assertFalse(console.contains("ai.djl"), "no DJL log lines on the console: " + console);
        assertTrue(run.stdout().contains("plain-4-seed0 epoch 1/1"), run.stdout());
        String log = Files.readString(out.resolve("sweep.log"));
        assertTrue(log.contains("plain-4-seed0 epoch 1/1"), log);
        assertTrue(log.contains("ai.djl.pytorch.engine.PtEngine"), "DJL's lines too: " + log);

        Output verbose = jar(sweep(out, "--verbose"));
        assertEquals(0, verbose.code(), verbose.stderr());
        assertTrue(verbose.stderr().contains("ai.djl.pytorch.engine.PtEngine"), verbose.stderr());
    }

    /**
     * PyTorch's OpenMP threads spin 10,000 times at a barrier before they sleep, not GNU libgomp's
     * 300,000, unless the user set a policy or a count: libgomp prints what it read with
     * OMP_DISPLAY_ENV=verbose.
     */
    @Test
    void openMpThreadsSpinBrieflyUnlessTheUserSetsAPolicy() throws Exception {
        String[] bench = {"bench", "--models", "plain-12", "--steps", "1", "--warmup", "0"};
        Output ours = jar(Map.of("OMP_DISPLAY_ENV", "verbose"), bench);
        assertEquals(0, ours.code(), ours.stderr());
        assertTrue(ours.stderr().contains("GOMP_SPINCOUNT = '10000'"), ours.stderr());
        assertTrue(
                ours.stdout().contains("GOMP_SPINCOUNT=10000"), "machine line: " + ours.stdout());

        Output theirs =
                jar(Map.of("OMP_DISPLAY_ENV", "verbose", "GOMP_SPINCOUNT", "300000"), bench);
        assertEquals(0, theirs.code(), theirs.stderr());
        assertTrue(theirs.stderr().contains("GOMP_SPINCOUNT = '300000'"), theirs.stderr());
        assertTrue(theirs.stdout().contains("GOMP_SPINCOUNT=300000"), theirs.stdout());

        Output passive =
                jar(Map.of("OMP_DISPLAY_ENV", "verbose", "OMP_WAIT_POLICY", "passive"), bench);
        assertEquals(0, passive.code(), passive.stderr());
        assertTrue(passive.stderr().contains("GOMP_SPINCOUNT = '0'"), passive.stderr());
        assertTrue(passive.stdout().contains("OMP_WAIT_POLICY=passive"), passive.stdout());
    }

    private record Output(int code, String stdout, String stderr) {}

    /** A one-cell sweep: plain-4 on 300 images, 2 steps. */
    private static String[] sweep(Path out, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--preset",
                                "smoke",
                                "--depths",
                                "4",
                                "--variants",
                                "plain",
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

    private Output jar(String... args) throws IOException, InterruptedException {
        return jar(Map.of(), args);
    }

    private Output jar(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(JAR), "build the jar first: mvn package");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-jar",
                                JAR.toString()));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
        builder.environment().keySet().removeAll(List.of("OMP_WAIT_POLICY", "GOMP_SPINCOUNT"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Output(
                process.waitFor(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
