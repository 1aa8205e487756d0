package io.github.depthsweep.experiments.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.experiments.report.Median;
import io.github.depthsweep.experiments.run.CellHistory;
import io.github.depthsweep.experiments.run.CellProgress;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.GradientNorms;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.WeightHistograms;
import io.github.depthsweep.experiments.tensorboard.CellEvents;
import io.github.depthsweep.experiments.tensorboard.RunEvents;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a cell's TensorBoard events cost the sweep: the time to write one epoch's events (400 steps'
 * loss, learning rate and sampled gradient norms, then the epoch's scalars and the histograms of
 * the model's weights, taken from the network as the trainer does, and a flush), and its share of
 * the epoch's training time at the model's measured rate.
 *
 * @param epochMs median milliseconds to write one epoch's events
 * @param stepUs median microseconds per step, the epoch's share included
 * @param shareOfEpoch the writing's time over the epoch's training time
 */
record EventCost(
        @JsonProperty("epoch_ms") double epochMs,
        @JsonProperty("step_us") double stepUs,
        @JsonProperty("share_of_epoch") double shareOfEpoch) {

    private static final int REPEATS = 5;
    private static final int STEPS = 400;

    /**
     * Writes a model's events for one epoch a few times, in a temporary folder.
     *
     * @param model the model
     * @param trainImagesPerSecond its training rate, for the share of an epoch
     * @return the cost
     * @throws IOException if the events cannot be written
     */
    static EventCost measure(ModelBench model, double trainImagesPerSecond) throws IOException {
        Path folder = Files.createTempDirectory("depthsweep-bench-");
        try {
            List<String> parts = GradientNorms.of(model.network(), true).parts();
            double[] times = new double[REPEATS];
            for (int i = 0; i < REPEATS; i++) {
                times[i] = writeEpoch(folder.resolve("run-" + i), model, parts);
            }
            double epochMs = Median.of(times);
            double trainingMs = 1000.0 * STEPS * PaperProtocol.BATCH_SIZE / trainImagesPerSecond;
            return new EventCost(epochMs, 1000 * epochMs / STEPS, epochMs / trainingMs);
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /** Writes a cell's first epoch as the trainer does, step by step; returns milliseconds. */
    private static double writeEpoch(Path root, ModelBench model, List<String> parts)
            throws IOException {
        History history = new History(parts);
        List<IOException> errors = new ArrayList<>();
        RunEvents run = new RunEvents(root, errors::add);
        long start = System.nanoTime();
        try (CellEvents events =
                run.cell(
                        "bench-cell",
                        CellEvents.hparams("bench", 0, 0, History.PROTOCOL),
                        history)) {
            for (int step = 1; step <= STEPS; step++) {
                history.addStep(step, 1f / step);
                events.catchUp(history);
            }
            history.endEpoch(WeightHistograms.of(model.network(), parts, 1));
            events.catchUp(history);
            events.flush();
        }
        double ms = (System.nanoTime() - start) / 1e6;
        if (!errors.isEmpty()) {
            throw new UncheckedIOException(errors.get(0));
        }
        return ms;
    }

    /**
     * Prints the cost under a model's row of the table.
     *
     * @param out where to
     */
    void print(PrintWriter out) {
        out.printf(
                "  tensorboard: an epoch's events (400 steps, then the epoch's scalars and"
                        + " weight histograms) in %.1f ms, %.0f us a step (%.3f%% of the epoch's"
                        + " training at this rate)%n",
                epochMs, stepUs, 100 * shareOfEpoch);
    }

    /** A cell's record as training fills it: steps, gradient samples every 10, an epoch. */
    private static final class History implements CellHistory {

        static final Protocol PROTOCOL =
                new Protocol(
                        null, 25, PaperProtocol.BATCH_SIZE, 1e-4f, 1e-6f, 60_000, 10_000, 50, null);

        private final List<Float> losses = new ArrayList<>();
        private final GradientNorms norms;
        private final List<EpochResult> epochs = new ArrayList<>();
        private final List<WeightHistograms> weights = new ArrayList<>();
        private final List<CellProgress.Session> sessions;

        History(List<String> parts) {
            norms = new GradientNorms(parts, new ArrayList<>(), new ArrayList<>());
            sessions =
                    List.of(
                            new CellProgress.Session(
                                    Instant.now().toString(), null, 0, 0, null, "cpu()"));
        }

        void addStep(int step, float loss) {
            losses.add(loss);
            if (step == 1 || step % 10 == 0) {
                norms.steps().add(step);
                norms.norms().add(new double[norms.parts().size()]);
            }
        }

        void endEpoch(WeightHistograms histograms) {
            epochs.add(new EpochResult(1, 0.5, 0.8, 0.6, 0.8, 0.81, 60, 1000, 500.0, 600.0));
            weights.add(histograms);
        }

        @Override
        public Protocol protocol() {
            return PROTOCOL;
        }

        @Override
        public List<Float> stepLosses() {
            return losses;
        }

        @Override
        public GradientNorms gradientNorms() {
            return norms;
        }

        @Override
        public List<EpochResult> epochs() {
            return epochs;
        }

        @Override
        public List<WeightHistograms> weightHistograms() {
            return weights;
        }

        @Override
        public List<CellProgress.Session> sessions() {
            return sessions;
        }
    }
}
