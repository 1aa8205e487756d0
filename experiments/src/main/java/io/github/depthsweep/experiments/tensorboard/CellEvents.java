package io.github.depthsweep.experiments.tensorboard;

import io.github.depthsweep.core.training.ResumableOptimizer;
import io.github.depthsweep.experiments.run.CellHistory;
import io.github.depthsweep.experiments.run.CellProgress;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.GradientNorms;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.WeightHistograms;
import io.github.depthsweep.tensorboard.EventWriter;
import io.github.depthsweep.tensorboard.Histogram;
import io.github.depthsweep.tensorboard.Summary;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One cell's TensorBoard run: a folder with one event file, written from the cell's record ({@link
 * CellHistory}). Opening it writes everything the record holds so far into a new file and deletes
 * the cell's older files, so a cell resumed from a checkpoint (after Ctrl-C, {@code kill -9} or a
 * takeover by another worker) shows exactly the steps of its checkpoint, never a step twice; then
 * {@link #catchUp} appends what the record gains as training goes on. Export writes finished cells
 * the same way, so both give the same events.
 *
 * <p>Each step is one event ({@code train/loss}, {@code train/learning_rate} and, where sampled,
 * {@code gradient_norm/PART}); each epoch one more at its last step ({@code epoch/...} scalars and
 * {@code weights/PART} histograms). The file starts with a session start at step 0, so that a
 * TensorBoard that read the older file drops its points when it reads the new one, and with the
 * HParams plugin's record of the cell's settings.
 */
public final class CellEvents implements Closeable {

    /** Ends the name of every event file depthsweep writes: files it may replace. */
    public static final String SUFFIX = EventFolder.SUFFIX;

    private final EventWriter events; // null where the folder is another writer's
    private final ResumableOptimizer schedule;
    private final int stepsPerEpoch;
    private int steps;
    private int epochs;
    private int norms;

    private CellEvents(EventWriter events, Protocol protocol) {
        this.events = events;
        this.schedule = protocol.newOptimizer();
        this.stepsPerEpoch = protocol.stepsPerEpoch();
    }

    /**
     * Writes a cell's run afresh from its record, and keeps it open for more.
     *
     * @param folder the cell's run folder, e.g. {@code RUN/tensorboard/plain-20-seed0}
     * @param hparams the cell's settings, for TensorBoard's HParams tab ({@link #hparams})
     * @param history what the cell has recorded so far
     * @param onError told once if the events cannot be written; training goes on
     * @return the cell's events
     */
    public static CellEvents open(
            Path folder,
            Map<String, Object> hparams,
            CellHistory history,
            Consumer<IOException> onError) {
        List<Path> older;
        try {
            older = EventFolder.ownFiles(folder);
        } catch (IOException e) {
            onError.accept(e);
            return new CellEvents(null, history.protocol());
        }
        EventWriter writer =
                EventWriter.builder(folder).optFileSuffix(SUFFIX).optOnError(onError).build();
        CellEvents events = new CellEvents(writer, history.protocol());
        Timeline timeline = new Timeline(history.sessions());
        writer.sessionStart(0, timeline.start());
        writer.hparams(hparams, folder.getFileName().toString(), timeline.start());
        events.write(history, timeline);
        writer.flush();
        if (writer.error().isEmpty()) {
            EventFolder.delete(older, onError); // one writer per cell: the rest is stale
        }
        return events;
    }

    /**
     * Returns a cell's settings as TensorBoard's HParams tab lists them.
     *
     * @param variant the architecture's label, e.g. {@code plain}
     * @param depth its depth
     * @param seed its seed
     * @param protocol the settings of its run
     * @return the settings by name
     */
    public static Map<String, Object> hparams(
            String variant, int depth, int seed, Protocol protocol) {
        Map<String, Object> hparams = new LinkedHashMap<>();
        hparams.put("variant", variant);
        hparams.put("depth", depth);
        hparams.put("seed", seed);
        hparams.put("optimizer", protocol.optimizer());
        // As typed (1e-4), not as the float's exact double (9.999999747378752e-5).
        hparams.put("learning_rate", Double.parseDouble(Float.toString(protocol.learningRate())));
        hparams.put("decay", Double.parseDouble(Float.toString(protocol.decay())));
        hparams.put("batch_size", protocol.batchSize());
        hparams.put("epochs", protocol.epochs());
        hparams.put("dataset", protocol.dataset());
        hparams.put("train_limit", protocol.trainLimit());
        hparams.put("test_limit", protocol.testLimit());
        hparams.put("precise_bn_batches", protocol.preciseBnBatches());
        return hparams;
    }

    /**
     * Appends the steps and epochs the record gained since the last call, timed now.
     *
     * @param history the cell's record
     */
    public void catchUp(CellHistory history) {
        if (events != null) {
            write(history, null);
        }
    }

    /** Flushes what is written to the file, for TensorBoard to read. */
    public void flush() {
        if (events != null) {
            events.flush();
        }
    }

    /** Flushes and closes the file. */
    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
    }

    /** Writes the steps and epochs not written yet, in training order; timed now if no timeline. */
    private void write(CellHistory history, Timeline timeline) {
        List<Float> losses = history.stepLosses();
        List<EpochResult> results = history.epochs();
        while (true) {
            boolean epochDue = epochs < results.size() && steps == (epochs + 1) * stepsPerEpoch;
            if (epochDue) {
                EpochResult result = results.get(epochs);
                epochs++;
                Summary summary = events.summary(steps);
                timeAt(summary, timeline, steps);
                epoch(summary, result, history.weightHistograms());
                summary.write();
            } else if (steps < losses.size()) {
                steps++;
                Summary summary = events.summary(steps);
                timeAt(summary, timeline, steps);
                summary.scalar("train/loss", losses.get(steps - 1));
                summary.scalar("train/learning_rate", schedule.learningRate(steps));
                gradientNorms(summary, history.gradientNorms());
                summary.write();
            } else {
                return;
            }
        }
    }

    private static void timeAt(Summary summary, Timeline timeline, int step) {
        if (timeline != null) {
            summary.wallTime(timeline.at(step));
        }
    }

    private void gradientNorms(Summary summary, GradientNorms sampled) {
        if (norms < sampled.steps().size() && sampled.steps().get(norms) == steps) {
            double[] row = sampled.norms().get(norms);
            for (int part = 0; part < Math.min(row.length, sampled.parts().size()); part++) {
                summary.scalar("gradient_norm/" + sampled.parts().get(part), row[part]);
            }
            norms++;
        }
    }

    private static void epoch(Summary summary, EpochResult e, List<WeightHistograms> weights) {
        summary.scalar("epoch/train_loss", e.trainLoss())
                .scalar("epoch/train_accuracy", e.trainAccuracy())
                .scalar("epoch/test_loss", e.testLoss())
                .scalar("epoch/test_accuracy", e.testAccuracy());
        if (e.preciseBnTestAccuracy() != null) {
            summary.scalar("epoch/test_accuracy_precise_bn", e.preciseBnTestAccuracy());
        }
        summary.scalar("epoch/images_per_second", e.trainImagesPerSecond());
        if (e.residentMb() != null) {
            summary.scalar("epoch/resident_mb", e.residentMb());
        }
        for (WeightHistograms histograms : weights) {
            if (histograms.epoch() == e.epoch()) {
                for (Map.Entry<String, Histogram> part : histograms.parts().entrySet()) {
                    summary.histogram("weights/" + part.getKey(), part.getValue());
                }
            }
        }
    }

    /**
     * When each step happened, as nearly as a record tells: each session's steps spread evenly
     * between its start and its last save.
     */
    private static final class Timeline {

        private final List<CellProgress.Session> sessions;

        Timeline(List<CellProgress.Session> sessions) {
            this.sessions = sessions;
        }

        double start() {
            return sessions.isEmpty() ? now() : seconds(sessions.get(0).started());
        }

        double at(int step) {
            double time = start();
            for (CellProgress.Session session : sessions) {
                double started = seconds(session.started());
                double ended = session.ended() == null ? started : seconds(session.ended());
                if (step > session.toStep()) {
                    time = ended;
                } else if (step > session.fromStep()) {
                    double share =
                            (double) (step - session.fromStep())
                                    / (session.toStep() - session.fromStep());
                    return started + share * (ended - started);
                }
            }
            return time;
        }

        private static double seconds(String instant) {
            return Instant.parse(instant).toEpochMilli() / 1000.0;
        }

        private static double now() {
            return Instant.now().toEpochMilli() / 1000.0;
        }
    }
}
