package io.github.depthsweep.experiments.run;

import ai.djl.nn.Block;
import io.github.depthsweep.experiments.system.Machine;
import io.github.depthsweep.experiments.system.ResidentMemory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What a cell has recorded so far, as it trains: every step's loss, the running sums of the epoch
 * in progress, the finished epochs, gradient norms and the processes that trained it. It is the
 * cell's meter (as pycls's meters keep its training loop short): the loop adds steps and epochs,
 * and this class turns them into a checkpoint's {@link CellProgress} or the final {@link
 * CellResult}.
 */
public final class CellRecord implements CellHistory {

    /** Gradient norms are sampled at step 1 and every this many steps. */
    public static final int GRADIENT_SAMPLE_EVERY = 10;

    private final Cell cell;
    private final Protocol protocol;
    private final List<EpochResult> epochs;
    private final List<Float> stepLosses;
    private final GradientNorms norms;
    private final List<CellProgress.Session> sessions;
    private final List<WeightHistograms> weights;
    private int step;
    // The epoch in progress: running sums over its steps so far.
    private double lossSum;
    private long correct;
    private long images;
    private double seconds;

    private CellRecord(
            Cell cell,
            Protocol protocol,
            List<EpochResult> epochs,
            List<Float> stepLosses,
            GradientNorms norms,
            List<CellProgress.Session> sessions,
            List<WeightHistograms> weights,
            int step) {
        this.cell = cell;
        this.weights = new ArrayList<>(weights);
        this.protocol = protocol;
        this.epochs = new ArrayList<>(epochs);
        this.stepLosses = new ArrayList<>(stepLosses);
        this.norms = norms;
        this.sessions = new ArrayList<>(sessions);
        this.step = step;
    }

    /**
     * Starts the record of a cell that has not trained yet, with this process as its first session.
     *
     * @param cell the cell
     * @param protocol its settings
     * @param network its network, for the parts whose gradient norms are sampled
     * @param device the device this process trains on
     * @return the record
     */
    public static CellRecord start(Cell cell, Protocol protocol, Block network, String device) {
        GradientNorms norms = GradientNorms.of(network, cell.architecture().hasStages());
        CellRecord record =
                new CellRecord(
                        cell, protocol, List.of(), List.of(), norms, List.of(), List.of(), 0);
        record.sessions.add(record.newSession(device));
        return record;
    }

    /**
     * Continues the record of a checkpoint, with this process as a new session.
     *
     * @param cell the cell
     * @param saved the checkpoint's record
     * @param device the device this process trains on
     * @return the record
     */
    public static CellRecord resume(Cell cell, CellProgress saved, String device) {
        GradientNorms norms =
                new GradientNorms(
                        saved.gradientNorms().parts(),
                        new ArrayList<>(saved.gradientNorms().steps()),
                        new ArrayList<>(saved.gradientNorms().norms()));
        CellRecord record =
                new CellRecord(
                        cell,
                        saved.protocol(),
                        saved.epochs(),
                        saved.stepLosses(),
                        norms,
                        saved.sessions(),
                        saved.weightHistograms(),
                        saved.step());
        if (saved.partial() != null) {
            record.lossSum = saved.partial().lossSum();
            record.correct = saved.partial().correct();
            record.images = saved.partial().images();
            record.seconds = saved.partial().seconds();
        }
        record.sessions.add(record.newSession(device));
        return record;
    }

    private CellProgress.Session newSession(String device) {
        return new CellProgress.Session(now(), null, step, step, Machine.current(), device);
    }

    /**
     * Returns the optimizer steps done, in every session.
     *
     * @return the steps
     */
    public int step() {
        return step;
    }

    /**
     * Returns the epochs finished and evaluated.
     *
     * @return the count
     */
    public int epochsDone() {
        return epochs.size();
    }

    /**
     * Returns the last finished epoch's result.
     *
     * @return the result, or empty before the first epoch ends
     */
    public Optional<EpochResult> lastEpoch() {
        return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
    }

    /**
     * Returns the steps of the epoch in progress done so far: those before a checkpoint included.
     *
     * @return from 0 to {@link Protocol#stepsPerEpoch()}
     */
    public int stepsIntoEpoch() {
        return step - epochs.size() * protocol.stepsPerEpoch();
    }

    /** {@inheritDoc} */
    @Override
    public Protocol protocol() {
        return protocol;
    }

    /** {@inheritDoc} */
    @Override
    public List<Float> stepLosses() {
        return Collections.unmodifiableList(stepLosses);
    }

    /** {@inheritDoc} */
    @Override
    public GradientNorms gradientNorms() {
        return norms;
    }

    /** {@inheritDoc} */
    @Override
    public List<EpochResult> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** {@inheritDoc} */
    @Override
    public List<WeightHistograms> weightHistograms() {
        return Collections.unmodifiableList(weights);
    }

    /** {@inheritDoc} */
    @Override
    public List<CellProgress.Session> sessions() {
        return Collections.unmodifiableList(sessions);
    }

    /**
     * Returns the sessions: every process that trained the cell, the last one this.
     *
     * @return the sessions
     */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * Records a training step: its loss and accuracy, and the gradient norms where a sample is due.
     * Call after backward and before the optimizer's update, while the gradients are there.
     *
     * @param loss the batch's mean loss
     * @param batchImages the images in the batch
     * @param batchCorrect the images classified right
     * @param network the network being trained
     */
    public void addStep(float loss, long batchImages, long batchCorrect, Block network) {
        stepLosses.add(loss);
        lossSum += loss * batchImages;
        correct += batchCorrect;
        images += batchImages;
        step++;
        if (step == 1 || step % GRADIENT_SAMPLE_EVERY == 0) {
            norms.sample(network, step);
        }
    }

    /**
     * Adds training time to the epoch in progress.
     *
     * @param trainingSeconds seconds this process spent training, pauses left out
     */
    public void addSeconds(double trainingSeconds) {
        seconds += trainingSeconds;
    }

    /**
     * Returns the training speed of the epoch in progress so far.
     *
     * @param moreSeconds training time not yet added with {@link #addSeconds}
     * @return images a second
     */
    public double imagesPerSecond(double moreSeconds) {
        return images / Math.max(seconds + moreSeconds, 1e-9);
    }

    /**
     * Ends the epoch in progress with its test accuracies, and starts the next one's sums.
     *
     * @param epoch the epoch, from 1
     * @param testLoss the test loss as trained
     * @param testAccuracy the test accuracy as trained
     * @param preciseBnAccuracy the test accuracy after precise BN, or null
     * @param network the network, whose weights' histograms are taken now
     * @return the epoch's result
     */
    public EpochResult endEpoch(
            int epoch,
            double testLoss,
            double testAccuracy,
            Double preciseBnAccuracy,
            Block network) {
        EpochResult result =
                new EpochResult(
                        epoch,
                        lossSum / images,
                        (double) correct / images,
                        testLoss,
                        testAccuracy,
                        preciseBnAccuracy,
                        seconds,
                        images / seconds,
                        ResidentMemory.currentMb(),
                        ResidentMemory.peakMb());
        epochs.add(result);
        weights.add(WeightHistograms.of(network, norms.parts(), epoch));
        lossSum = 0;
        correct = 0;
        images = 0;
        seconds = 0;
        return result;
    }

    /**
     * Returns everything so far, for a checkpoint; this session counts as reaching the current step
     * now.
     *
     * @return the progress
     */
    public CellProgress progress() {
        endSession();
        boolean epochInProgress = stepsIntoEpoch() > 0;
        return new CellProgress(
                cell.id(),
                protocol,
                step,
                epochs.size(),
                epochInProgress
                        ? new CellProgress.EpochSoFar(lossSum, correct, images, seconds)
                        : null,
                List.copyOf(epochs),
                List.copyOf(stepLosses),
                norms,
                List.copyOf(sessions),
                List.copyOf(weights));
    }

    /**
     * Returns the cell's final record, with this session ended now.
     *
     * @param failure why the cell failed, or null if it finished
     * @param parameters the network's parameter count
     * @param device the device it trained on
     * @param model the saved model's folder relative to the run folder, or null
     * @return the result
     */
    public CellResult result(String failure, long parameters, String device, String model) {
        endSession();
        EpochResult best = null;
        Double bestPrecise = null;
        double trainSeconds = 0;
        for (EpochResult epoch : epochs) {
            trainSeconds += epoch.trainSeconds();
            if (best == null || epoch.testAccuracy() > best.testAccuracy()) {
                best = epoch;
            }
            Double precise = epoch.preciseBnTestAccuracy();
            if (precise != null && (bestPrecise == null || precise > bestPrecise)) {
                bestPrecise = precise;
            }
        }
        EpochResult last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
        return new CellResult(
                cell.id(),
                cell.architecture().label(),
                cell.depth(),
                cell.seed(),
                failure == null ? CellResult.FINISHED : CellResult.FAILED,
                failure,
                protocol,
                parameters,
                device,
                List.copyOf(epochs),
                last == null ? null : last.testAccuracy(),
                best == null ? null : best.testAccuracy(),
                best == null ? null : best.epoch(),
                last == null ? null : last.preciseBnTestAccuracy(),
                bestPrecise,
                trainSeconds,
                norms,
                model,
                List.copyOf(stepLosses),
                List.copyOf(sessions),
                List.copyOf(weights));
    }

    /** Marks this process's session as reaching the current step, now. */
    private void endSession() {
        CellProgress.Session last = sessions.remove(sessions.size() - 1);
        sessions.add(
                new CellProgress.Session(
                        last.started(),
                        now(),
                        last.fromStep(),
                        step,
                        last.machine(),
                        last.device()));
    }

    /** The time now, ISO 8601 UTC to the second, as sessions record it. */
    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
