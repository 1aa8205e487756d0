package io.github.depthsweep.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventWriterTest {

    @TempDir Path folder;

    @Test
    void writesAFileTensorBoardFinds() throws IOException {
        Path file;
        try (EventWriter events =
                EventWriter.builder(folder.resolve("run")).optFileSuffix(".test").build()) {
            events.summary(1).scalar("train/loss", 2.5).scalar("train/learning_rate", 1e-4).write();
            events.summary(2).scalar("train/loss", 1.25).wallTime(1.7e9).write();
            file = events.file().orElseThrow();
        }
        assertTrue(
                file.getFileName()
                        .toString()
                        .matches("events\\.out\\.tfevents\\.\\d{10}\\..+\\.\\d+\\.test"),
                file::toString);
        List<EventFiles.Event> read = EventFiles.read(file);
        assertEquals(3, read.size());
        assertTrue(read.get(0).content().toStringUtf8().contains("brain.Event:2"));
        assertTrue(read.get(0).wallTime() > 1.7e9);
        assertEquals(
                Map.of("train/loss", 2.5f, "train/learning_rate", 1e-4f), read.get(1).scalars());
        assertEquals(1, read.get(1).step());
        assertEquals(Map.of("train/loss", 1.25f), read.get(2).scalars());
        assertEquals(1.7e9, read.get(2).wallTime());
    }

    @Test
    void describesATagOnlyTheFirstTime() throws IOException {
        Path file;
        try (EventWriter events = EventWriter.builder(folder).build()) {
            events.summary(1).scalar("loss", 1).write();
            events.summary(2).scalar("loss", 1).write();
            file = events.file().orElseThrow();
        }
        List<EventFiles.Event> read = EventFiles.read(file);
        assertTrue(read.get(1).content().toStringUtf8().contains("scalars"));
        assertFalse(read.get(2).content().toStringUtf8().contains("scalars"));
    }

    @Test
    void writesHistogramsImagesAndHparams() throws IOException {
        Path file;
        try (EventWriter events = EventWriter.builder(folder).build()) {
            events.hparams(Map.of("depth", 20, "variant", "plain", "bn", true), "plain-20", 1.7e9);
            events.sessionStart(5, 1.7e9);
            events.summary(5)
                    .histogram("weights/stage1", Histogram.of(new float[] {-1, 0, 0.5f, 1}))
                    .image("plots/accuracy", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 640, 480)
                    .write();
            file = events.file().orElseThrow();
        }
        List<EventFiles.Event> read = EventFiles.read(file);
        assertEquals(4, read.size());
        String hparams = read.get(1).content().toStringUtf8();
        assertTrue(
                hparams.contains("_hparams_/session_start_info") && hparams.contains("plain-20"));
        assertEquals(List.of("weights/stage1", "plots/accuracy"), read.get(3).tags());
        assertEquals(Map.of(), read.get(3).scalars());
    }

    @Test
    void flushesWhileItIsOpen() throws IOException, InterruptedException {
        try (EventWriter events =
                EventWriter.builder(folder).optFlushEvery(Duration.ofMillis(100)).build()) {
            events.summary(1).scalar("loss", 1).write();
            Path file = events.file().orElseThrow();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (EventFiles.read(file).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, EventFiles.read(file).size());
        }
    }

    @Test
    void aFolderItCannotMakeIsOneErrorAndNoException() throws IOException {
        Path notAFolder = Files.writeString(folder.resolve("tensorboard"), "a file");
        List<IOException> errors = new ArrayList<>();
        try (EventWriter events = EventWriter.builder(notAFolder).optOnError(errors::add).build()) {
            events.summary(1).scalar("loss", 1).write();
            events.flush();
            assertTrue(events.file().isEmpty());
            assertTrue(events.error().isPresent());
        }
        assertEquals(1, errors.size());
        assertEquals("a file", Files.readString(notAFolder));
    }

    @Test
    void histogramsCountEveryValueOnce() {
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        Histogram histogram = Histogram.of(values);
        assertEquals(1000, histogram.total());
        assertEquals(30, histogram.counts().size());
        double[] rows = histogram.rows();
        assertEquals(histogram.min(), rows[0]);
        assertEquals(histogram.max(), rows[rows.length - 2]);
        assertEquals(List.of(3L), Histogram.of(new float[] {2, 2, 2}).counts());
    }
}
