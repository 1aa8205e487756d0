package io.github.depthsweep.tensorboard;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A DJL {@link TrainingListener} that writes a training run as TensorBoard events: every batch's
 * training loss (and learning rate, if given), every epoch's evaluations (DJL's {@code
 * TrainingResult}: training and validation loss and each evaluator) and a histogram of each
 * top-level block's weights. Add it after DJL's default listeners, which compute the epoch's
 * evaluations before it reads them:
 *
 * <pre>{@code
 * TrainingConfig config =
 *         new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *                 .addEvaluator(new Accuracy())
 *                 .addTrainingListeners(TrainingListener.Defaults.logging())
 *                 .addTrainingListeners(
 *                         TensorBoardListener.builder(Path.of("runs/tensorboard/my-run")).build());
 * }</pre>
 *
 * <p>Then {@code tensorboard --logdir runs/tensorboard} shows it, while it trains: events are
 * flushed after every epoch and every 30 seconds. Steps count the training batches from 1; a run
 * resumed from a checkpoint gives its step with {@link Builder#optStartStep}, and TensorBoard drops
 * the points the interrupted run wrote after that step.
 */
public final class TensorBoardListener extends TrainingListenerAdapter {

    private final Path directory;
    private final Map<String, ?> hparams;
    private final ParameterTracker learningRate;
    private final boolean histograms;
    private final long startStep;
    private EventWriter events;
    private long step;

    private TensorBoardListener(Builder builder) {
        this.directory = builder.directory;
        this.hparams = builder.hparams;
        this.learningRate = builder.learningRate;
        this.histograms = builder.histograms;
        this.startStep = builder.startStep;
    }

    /**
     * Starts a listener that writes into a run's folder.
     *
     * @param directory the run's folder: one per run, inside the folder TensorBoard is given
     * @return the builder
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        events = EventWriter.builder(directory).build();
        step = startStep;
        double now = Instant.now().toEpochMilli() / 1000.0;
        // TensorBoard drops what earlier files of this folder hold from this step on: the points
        // a resumed run trains again, or all of a run trained again from scratch.
        events.sessionStart(startStep + 1, now);
        if (!hparams.isEmpty()) {
            events.hparams(hparams, directory.getFileName().toString(), now);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        step++;
        Summary summary = events.summary(step).scalar("train/loss", loss(trainer, batchData));
        if (learningRate != null) {
            summary.scalar("train/learning_rate", learningRate.getNewValue("", (int) step));
        }
        summary.write();
    }

    /** The batch's mean loss over the devices it was split across. */
    private static double loss(Trainer trainer, BatchData batchData) {
        double sum = 0;
        for (Device device : batchData.getLabels().keySet()) {
            NDList labels = batchData.getLabels().get(device);
            NDList predictions = batchData.getPredictions().get(device);
            try (NDArray loss = trainer.getLoss().evaluate(labels, predictions)) {
                sum += loss.getFloat();
            }
        }
        return sum / batchData.getLabels().size();
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        Summary summary = events.summary(step);
        trainer.getTrainingResult()
                .getEvaluations()
                .forEach((name, value) -> summary.scalar("epoch/" + name, value));
        if (histograms) {
            for (Pair<String, Block> child : trainer.getModel().getBlock().getChildren()) {
                float[] weights = weights(child.getValue());
                if (weights.length > 0) {
                    summary.histogram("weights/" + child.getKey(), Histogram.of(weights));
                }
            }
        }
        summary.write();
        events.flush();
    }

    /**
     * Returns the values of a block's weights: the kernels of its convolutions and dense layers,
     * not biases or normalization.
     *
     * @param block the block
     * @return the values, in parameter order
     */
    public static float[] weights(Block block) {
        List<float[]> parts = new ArrayList<>();
        int length = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            Parameter value = parameter.getValue();
            if (value.getType() == Parameter.Type.WEIGHT && value.isInitialized()) {
                float[] part = value.getArray().toFloatArray();
                parts.add(part);
                length += part.length;
            }
        }
        float[] all = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (events != null) {
            events.close();
        }
    }

    /** The settings of a new {@link TensorBoardListener}. */
    public static final class Builder {

        private final Path directory;
        private Map<String, ?> hparams = Map.of();
        private ParameterTracker learningRate;
        private boolean histograms = true;
        private long startStep;

        private Builder(Path directory) {
            this.directory = directory;
        }

        /**
         * Lists the run in TensorBoard's HParams tab with these settings.
         *
         * @param hparams each a {@link Number}, {@link Boolean} or {@link String}
         * @return this builder
         */
        public Builder optHparams(Map<String, ?> hparams) {
            this.hparams = Map.copyOf(hparams);
            return this;
        }

        /**
         * Also writes each step's learning rate: DJL's optimizers do not expose theirs, so give the
         * tracker the optimizer was built with.
         *
         * @param tracker the optimizer's learning-rate tracker
         * @return this builder
         */
        public Builder optLearningRate(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /**
         * Sets whether every epoch writes a histogram of each top-level block's weights.
         *
         * @param histograms true by default
         * @return this builder
         */
        public Builder optHistograms(boolean histograms) {
            this.histograms = histograms;
            return this;
        }

        /**
         * Continues a run resumed from a checkpoint: the first batch is step {@code step + 1}.
         *
         * @param step the steps trained before the checkpoint
         * @return this builder
         */
        public Builder optStartStep(long step) {
            this.startStep = step;
            return this;
        }

        /**
         * Makes the listener; its event file is made when training begins.
         *
         * @return the listener
         */
        public TensorBoardListener build() {
            return new TensorBoardListener(this);
        }
    }
}
