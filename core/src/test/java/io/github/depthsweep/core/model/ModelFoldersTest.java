package io.github.depthsweep.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolving what users name (a model, a run, a folder of models) to one model folder. */
class ModelFoldersTest {

    @TempDir Path dir;

    @Test
    void aModelFolderIsItself() throws IOException {
        Path model = writeInfo(dir.resolve("plain-12-seed0"), "plain-12", 0.5);
        assertEquals(model, ModelFolders.resolve(model));
    }

    @Test
    void aRunFolderGivesTheModelWithTheHighestTestAccuracy() throws IOException {
        Path models = dir.resolve("run").resolve(ModelFolders.MODELS);
        writeInfo(models.resolve("plain-12-seed0"), "plain-12", 0.88);
        Path best = writeInfo(models.resolve("residual-50-seed1"), "residual-50", 0.89);
        writeInfo(models.resolve("plain-50-seed0"), "plain-50", 0.24);
        writeInfo(models.resolve("residual-12-seed0"), "residual-12", null);
        Files.createDirectories(models.resolve("not-a-model"));
        Files.createDirectories(models.resolve("broken"));
        Files.writeString(models.resolve("broken").resolve(SavedModel.INFO_FILE), "{oops");

        assertEquals(best, ModelFolders.resolve(dir.resolve("run")));
        // Folders with an info file count, even a broken one; the best skips it.
        assertEquals(5, ModelFolders.list(dir.resolve("run")).size());
    }

    @Test
    void aFolderThatDirectlyHoldsModelFoldersGivesItsBest() throws IOException {
        writeInfo(dir.resolve("a"), "plain-12", 0.70);
        Path best = writeInfo(dir.resolve("b"), "plain-20", 0.71);
        assertEquals(best, ModelFolders.resolve(dir));
    }

    @Test
    void aLoneModelWithoutAccuracyIsTheBest() throws IOException {
        Path only = writeInfo(dir.resolve("models").resolve("plain-12-seed0"), "plain-12", null);
        assertEquals(only, ModelFolders.resolve(dir));
    }

    @Test
    void clearErrorsForMissingAndEmptyFoldersAndUnrankableModels() throws IOException {
        IOException missing =
                assertThrows(
                        FileNotFoundException.class,
                        () -> ModelFolders.resolve(dir.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        IOException empty = assertThrows(IOException.class, () -> ModelFolders.resolve(dir));
        assertTrue(empty.getMessage().contains("neither a model folder"), empty.getMessage());

        writeInfo(dir.resolve("a"), "plain-12", null);
        writeInfo(dir.resolve("b"), "plain-20", null);
        IOException unranked = assertThrows(IOException.class, () -> ModelFolders.resolve(dir));
        assertTrue(
                unranked.getMessage().contains("none has a recorded test accuracy"),
                unranked.getMessage());
    }

    /** A model's info as a sweep writes it, with no parameters file: enough to rank it. */
    private static Path writeInfo(Path folder, String name, Double accuracy) throws IOException {
        Files.createDirectories(folder);
        String[] parts = name.split("-");
        ModelInfo info = ModelInfo.of(Architecture.parse(parts[0]), Integer.parseInt(parts[1]));
        if (accuracy != null) {
            info = info.trained(ModelInfo.AS_TRAINED, accuracy, 1, 0);
        }
        Files.writeString(folder.resolve(SavedModel.INFO_FILE), new Gson().toJson(info));
        return folder;
    }
}
