package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command fails the same way on a bad {@code --model}: exit code 2 and one line {@code error:
 * ...} on stderr, no stack trace.
 */
class ModelErrorsTest {

    private static final String[] COMMANDS = {"predict", "evaluate", "bench"};

    @TempDir Path dir;

    @Test
    void aMissingModelFolder() {
        assertFailsEverywhere(dir.resolve("nowhere"), "does not exist");
    }

    @Test
    void aFolderWithoutModels() {
        assertFailsEverywhere(dir, "is neither a model folder");
    }

    @Test
    void missingParameters() throws IOException {
        Path folder = copyOfTrainedModel();
        Files.delete(folder.resolve("plain-12-0000.params"));
        assertFailsEverywhere(folder, "has no parameters file plain-12-0000.params");
    }

    @Test
    void anUnknownArchitecture() throws IOException {
        Path folder = copyOfTrainedModel();
        Path info = folder.resolve(SavedModel.INFO_FILE);
        Files.writeString(info, Files.readString(info).replace("\"plain\"", "\"vit\""));
        assertFailsEverywhere(folder, "Unknown variant 'vit'");
    }

    @Test
    void corruptParameters() throws IOException {
        Path folder = copyOfTrainedModel();
        byte[] noise = new byte[10_000];
        new Random(1).nextBytes(noise);
        Files.write(folder.resolve("plain-12-0000.params"), noise);
        assertFailsEverywhere(folder, "plain-12-0000.params is not a sound DJL parameters file");
    }

    @Test
    void anotherNetsParameters() throws IOException {
        Path folder = copyOfTrainedModel();
        try (var residual =
                SavedModel.class
                        .getClassLoader()
                        .getResourceAsStream(
                                "io/github/depthsweep/core/zoo/stagenet/residual-12/"
                                        + "residual-12-0000.params")) {
            Files.write(folder.resolve("plain-12-0000.params"), residual.readAllBytes());
        }
        assertFailsEverywhere(folder, "holds residual-12's parameters, not plain-12's");
    }

    @Test
    void aDepthBeyondTheBound() throws IOException {
        Path folder = copyOfTrainedModel();
        Path info = folder.resolve(SavedModel.INFO_FILE);
        Files.writeString(
                info, Files.readString(info).replace("\"depth\": 12", "\"depth\": 2000000000"));
        assertFailsEverywhere(folder, "Depth 2000000000 is too large");
    }

    @Test
    void brokenMetadata() throws IOException {
        Path folder = copyOfTrainedModel();
        Files.writeString(folder.resolve(SavedModel.INFO_FILE), "{ not json");
        assertFailsEverywhere(folder, "is not valid JSON");
    }

    private Path copyOfTrainedModel() throws IOException {
        Path source = TrainedModel.folder();
        Path copy = Files.createDirectories(dir.resolve("model"));
        try (var files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    private static void assertFailsEverywhere(Path model, String expected) {
        for (String command : COMMANDS) {
            String[] args =
                    command.equals("predict")
                            ? new String[] {command, "--model", model.toString(), "samples"}
                            : new String[] {command, "--model", model.toString()};
            Cli.Result result = Cli.run(args);
            assertEquals(ExitCode.BAD_INPUT, result.exitCode(), command + ": " + result.err());
            assertEquals(1, result.err().lines().count(), command + ": " + result.err());
            assertTrue(result.err().startsWith("error: "), result.err());
            assertTrue(result.err().contains(expected), command + ": " + result.err());
            assertFalse(result.err().contains("\tat "), "no stack trace");
            assertEquals("", result.out(), command + " prints nothing on stdout");
        }
    }
}
