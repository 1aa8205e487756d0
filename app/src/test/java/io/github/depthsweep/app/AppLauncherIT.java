package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar, {@code app/target/depthsweep-app.jar}, as a user runs it: a successful {@code
 * predict} or {@code evaluate} prints its answer on stdout and nothing on stderr, on every CPU
 * (PyTorch's C++ warnings, such as NNPACK's "Unsupported hardware" on AMD Zen 5, stay off it). Runs
 * after {@code package} (failsafe).
 */
class AppLauncherIT {

    private static final Path JAR = Path.of("target", "depthsweep-app.jar");

    @TempDir Path dir;

    @Test
    void predictPrintsNothingOnStderr() throws Exception {
        Output run = jar("predict", Path.of("samples", "0-t-shirt-top.png").toString());
        assertEquals(0, run.code(), run.stderr());
        assertTrue(run.stdout().contains("T-shirt/top"), run.stdout());
        assertEquals("", run.stderr());
    }

    @Test
    void evaluatePrintsNothingOnStderr() throws Exception {
        Output run = jar("evaluate", "--limit", "150", "--out", dir.resolve("c.png").toString());
        assertEquals(0, run.code(), run.stderr());
        assertTrue(run.stdout().contains("accuracy:"), run.stdout());
        assertEquals("", run.stderr());
    }

    private record Output(int code, String stdout, String stderr) {}

    private Output jar(String... args) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "build the jar first: mvn package");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-jar",
                                JAR.toString()));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
        builder.environment().remove("TORCH_CPP_LOG_LEVEL"); // the default, as most users run it
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Output(
                process.waitFor(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
