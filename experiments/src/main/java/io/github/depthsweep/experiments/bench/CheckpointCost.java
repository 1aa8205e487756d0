package io.github.depthsweep.experiments.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.core.training.TrainingCheckpoint;
import io.github.depthsweep.experiments.report.Median;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a cell's checkpoint costs: its size, the time to write it (synced to disk, as the sweep
 * does) and to read and restore it, and the write's share of a full epoch (400 steps of 150) at the
 * model's measured training rate.
 *
 * @param megabytes the file's size
 * @param saveMs median milliseconds to write it
 * @param restoreMs median milliseconds to read, check and restore it
 * @param shareOfEpoch the write's time over a 60,000-image epoch's training time
 */
record CheckpointCost(
        double megabytes,
        @JsonProperty("save_ms") double saveMs,
        @JsonProperty("restore_ms") double restoreMs,
        @JsonProperty("share_of_epoch") double shareOfEpoch) {

    private static final int REPEATS = 5;
    private static final int EPOCH_IMAGES = 400 * PaperProtocol.BATCH_SIZE;

    /**
     * Writes and restores a model's checkpoint a few times, in a temporary folder.
     *
     * @param model the model, trained a few steps so its optimizer has state to save
     * @param trainImagesPerSecond its training rate, for the share of an epoch
     * @return the cost
     * @throws IOException if the checkpoint cannot be written or read
     */
    static CheckpointCost measure(ModelBench model, double trainImagesPerSecond)
            throws IOException {
        Path folder = Files.createTempDirectory("depthsweep-bench-");
        Path file = folder.resolve(model.name() + ".ckpt");
        try {
            String metadata = "{\"bench\":true}";
            double[] save = new double[REPEATS];
            double[] restore = new double[REPEATS];
            for (int i = 0; i < REPEATS; i++) {
                long start = System.nanoTime();
                TrainingCheckpoint.save(file, model.network(), model.optimizer(), metadata);
                save[i] = (System.nanoTime() - start) / 1e6;
                start = System.nanoTime();
                TrainingCheckpoint.read(file).restore(model.network(), model.optimizer());
                restore[i] = (System.nanoTime() - start) / 1e6;
            }
            double saveMs = Median.of(save);
            double epochMs = 1000.0 * EPOCH_IMAGES / trainImagesPerSecond;
            return new CheckpointCost(
                    Files.size(file) / 1e6, saveMs, Median.of(restore), saveMs / epochMs);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(folder);
        }
    }

    /**
     * Prints the cost under a model's row of the table.
     *
     * @param out where to
     */
    void print(PrintWriter out) {
        out.printf(
                "  checkpoint: %.1f MB, written in %.0f ms (%.3f%% of a 60,000-image epoch at this"
                        + " rate), restored in %.0f ms%n",
                megabytes, saveMs, 100 * shareOfEpoch, restoreMs);
    }
}
