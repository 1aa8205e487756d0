package io.github.depthsweep.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders a sweep may write into. */
class RunFolderTest {

    @TempDir Path dir;

    /**
     * Workers of a cluster array start on one new folder at once: what the first is writing must
     * not make the others refuse the folder (a Slurm test once failed that way).
     */
    @Test
    void aFolderAnotherWorkerIsSettingUpIsAccepted() throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run.resolve("cells"));
        Files.writeString(run.resolve(".protocol.json.tmp-1mfl38wmcof93"), "{}");
        Files.writeString(run.resolve(".write-test5170461.tmp"), "");
        Files.writeString(run.resolve("sweep.log"), "depthsweep ...");

        assertEquals(run, RunFolder.create(run).root());
    }

    @Test
    void aFolderOfOtherFilesIsRefused() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(photos.resolve(".holiday.jpg.tmp-1a2b"), "a hidden file");

        IOException refusal = assertThrows(IOException.class, () -> RunFolder.create(photos));
        assertTrue(
                refusal.getMessage().contains("it holds other files (.holiday.jpg.tmp-1a2b)"),
                refusal.getMessage());
    }
}
