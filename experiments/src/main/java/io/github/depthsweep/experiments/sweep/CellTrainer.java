package io.github.depthsweep.experiments.sweep;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.data.Batches;
import io.github.depthsweep.core.data.FashionMnistDataset;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import io.github.depthsweep.core.nn.SeedNet;
import io.github.depthsweep.core.training.PreciseBatchNorm;
import io.github.depthsweep.core.training.ResumableOptimizer;
import io.github.depthsweep.core.training.SeedProtocol;
import io.github.depthsweep.experiments.run.Cell;
import io.github.depthsweep.experiments.run.CellCheckpoints;
import io.github.depthsweep.experiments.run.CellClaims;
import io.github.depthsweep.experiments.run.CellProgress;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.GradientNorms;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.system.Machine;
import io.github.depthsweep.experiments.system.NativeAllocator;
import io.github.depthsweep.experiments.system.ResidentMemory;
import io.github.depthsweep.experiments.system.StoppedTime;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains one cell with the seed's protocol, evaluates it after every epoch (as trained, and after
 * precise BN), records gradient norms, and saves the model.
 *
 * <p>Its state goes into a checkpoint after every epoch, every {@code checkpointEvery} steps and on
 * a stop signal, and a rerun continues from there exactly: the same batches, dropout masks, losses
 * and final weights as a run that never stopped, because every source of randomness is reseeded
 * from the cell's seed and the position in training (see {@link #seed}) rather than carried along.
 *
 * <p>The step loop is written out rather than driven by DJL's {@code EasyTrain} with {@code
 * TrainingListener}s: resuming mid-epoch has to skip the batches trained before the checkpoint,
 * dropout has to be reseeded before each forward pass (listeners only hear after a batch), and a
 * stop signal has to end the epoch between two steps; none of these fit a listener.
 */
public final class CellTrainer {

    /** Gradient norms are sampled at step 1 and every this many steps. */
    static final int GRADIENT_SAMPLE_EVERY = 10;

    /**
     * Under glibc's malloc, freed pages go back to the kernel every this many steps and after every
     * epoch; otherwise its heap keeps growing (docs/results/speed.md, "Memory across epochs"). A
     * release costs one step's page faults.
     */
    static final int RELEASE_MEMORY_EVERY = 50;

    /** Without a terminal (a log, a batch job), a progress line this often within an epoch. */
    static final Duration PROGRESS_LINE_EVERY = Duration.ofMinutes(1);

    /** What a seed drawn by {@link #seed} is for. */
    private enum Draw {
        SHUFFLE,
        DROPOUT,
        PRECISE_BN
    }

    private final Protocol protocol;
    private final Device device;
    private final FashionMnistDataset train;
    private final FashionMnistDataset test;
    private final RunFolder folder;
    private final CellCheckpoints checkpoints;
    private final int checkpointEvery;
    private final StopSignal stop;
    private final PrintWriter log;

    /**
     * Creates a trainer for the cells of one sweep.
     *
     * @param protocol the settings every cell trains under
     * @param device the device to train on
     * @param train the training data, shuffled in batches
     * @param test the test data
     * @param folder the run folder: results, models and checkpoints
     * @param checkpointEvery also checkpoint every this many steps; 0 for epochs only
     * @param stop the sweep's stop signal, checked after every step
     * @param log where progress goes
     */
    public CellTrainer(
            Protocol protocol,
            Device device,
            FashionMnistDataset train,
            FashionMnistDataset test,
            RunFolder folder,
            int checkpointEvery,
            StopSignal stop,
            PrintWriter log) {
        this.protocol = protocol;
        this.device = device;
        this.train = train;
        this.test = test;
        this.folder = folder;
        this.checkpoints = new CellCheckpoints(folder.root(), log);
        this.checkpointEvery = checkpointEvery;
        this.stop = stop;
        this.log = log;
    }

    /**
     * Trains a cell, from its checkpoint if it has one, and records its result and model. A
     * non-finite loss ends the cell as failed.
     *
     * @param cell the cell
     * @param label a prefix for log lines, e.g. {@code [3/8]}
     * @param progress the sweep's progress, told after every epoch
     * @param workPerEpoch this cell's share of the sweep's work per epoch
     * @param claim this worker's claim on the cell, checked before anything is saved
     * @return the result, also saved in the run folder
     * @throws IOException if data or files cannot be read or written
     * @throws TranslateException if a batch cannot be made
     * @throws StopSignal.Stopped if a signal stopped training; the cell's checkpoint is saved
     * @throws CellClaims.ClaimLostException if another worker has taken the cell over
     */
    public CellResult run(
            Cell cell,
            String label,
            SweepProgress progress,
            double workPerEpoch,
            CellClaims.Claim claim)
            throws IOException, TranslateException, StopSignal.Stopped {
        Engine.getInstance().setRandomSeed(cell.seed()); // the initial weights
        try (Model model = Model.newInstance(cell.model(), device)) {
            Block network =
                    cell.architecture().build(cell.depth(), FashionMnistDataset.CLASSES.size());
            model.setBlock(network);
            DefaultTrainingConfig config =
                    SeedProtocol.trainingConfig(protocol.newOptimizer())
                            .optDevices(new Device[] {device});
            ResumableOptimizer optimizer = (ResumableOptimizer) config.getOptimizer();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(SeedNet.INPUT_SHAPE);
                Training state = start(cell, label, network, optimizer, claim);
                String failure = null;
                String statistics = ModelInfo.AS_TRAINED;
                for (int epoch = state.epochs.size() + 1;
                        epoch <= protocol.epochs() && failure == null;
                        epoch++) {
                    long epochStart = System.nanoTime();
                    long stoppedAtStart = StoppedTime.nanos();
                    failure = state.trainEpoch(trainer, epoch, label);
                    if (failure != null) {
                        break;
                    }
                    Evaluation asTrained =
                            Evaluation.of(trainer, progressing(trainer, test, claim));
                    Double precise = null;
                    if (protocol.preciseBnBatches() > 0) {
                        boolean last = epoch == protocol.epochs();
                        Engine.getInstance().setRandomSeed(seed(cell, Draw.PRECISE_BN, epoch));
                        precise = preciseBnAccuracy(trainer, asTrained.accuracy(), last, claim);
                        if (last && precise > asTrained.accuracy()) {
                            statistics = ModelInfo.PRECISE_BN;
                        }
                    }
                    NativeAllocator.current()
                            .releaseFreeMemory(); // before the epoch's memory is read
                    progress.done(
                            workPerEpoch,
                            StoppedTime.runningSecondsSince(epochStart, stoppedAtStart));
                    EpochResult result = state.endEpoch(epoch, asTrained, precise);
                    logEpoch(label, cell, result, progress);
                    if (epoch < protocol.epochs()) {
                        state.checkpoint();
                        stop.stopIfRequested(state.saved());
                    }
                }
                claim.check();
                CellResult result = finish(cell, model, network, state, failure, statistics);
                checkpoints.delete(cell);
                return result;
            }
        }
    }

    /** A new cell's state, or its checkpoint's, with this process added to its sessions. */
    private Training start(
            Cell cell,
            String label,
            Block network,
            ResumableOptimizer optimizer,
            CellClaims.Claim claim)
            throws IOException {
        Optional<CellProgress> saved = checkpoints.restore(cell, protocol, network, optimizer);
        Training state =
                saved.map(p -> new Training(cell, network, optimizer, claim, p))
                        .orElseGet(() -> new Training(cell, network, optimizer, claim));
        if (saved.isPresent()) {
            CellProgress p = saved.get();
            log.printf(
                    "%s %s: resuming from its checkpoint at step %,d of %,d (epoch %d, %d of %d"
                            + " steps done; session %d)%n",
                    label,
                    cell.id(),
                    p.step(),
                    protocol.epochs() * protocol.stepsPerEpoch(),
                    p.epochsDone() + 1,
                    p.step() - p.epochsDone() * protocol.stepsPerEpoch(),
                    protocol.stepsPerEpoch(),
                    state.sessions.size());
            log.flush();
        }
        return state;
    }

    /**
     * Returns the seed for one use of randomness in a cell: shuffling an epoch, the dropout masks
     * of one step, or the batches of one precise-BN pass. Seeding each from the cell's seed and its
     * position makes a resumed run draw exactly what an uninterrupted one would, with no generator
     * state to save (PyTorch's cannot be read back through DJL).
     */
    private static int seed(Cell cell, Draw draw, long index) {
        long x = cell.seed() * 0x9E3779B97F4A7C15L + (draw.ordinal() + 1L) * 0xBF58476D1CE4E5B9L;
        x += index;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L; // SplitMix64's finaliser
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return (int) (x ^ (x >>> 31)) & Integer.MAX_VALUE;
    }

    /**
     * Re-estimates BatchNorm statistics, measures test accuracy with them, and puts the trained
     * statistics back, unless this is the last epoch and the new ones do better: then the saved
     * model keeps them.
     */
    private double preciseBnAccuracy(
            Trainer trainer, double asTrained, boolean keepIfBetter, CellClaims.Claim claim)
            throws IOException, TranslateException {
        Block network = trainer.getModel().getBlock();
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList trained = PreciseBatchNorm.copyStatistics(network, scope);
            PreciseBatchNorm.reestimate(
                    network, progressing(trainer, train, claim), protocol.preciseBnBatches());
            double precise = Evaluation.of(trainer, progressing(trainer, test, claim)).accuracy();
            if (!(keepIfBetter && precise > asTrained)) {
                PreciseBatchNorm.restoreStatistics(network, trained);
            }
            return precise;
        }
    }

    /** A dataset's batches, each one telling the claim that this worker is making progress. */
    private static Iterable<Batch> progressing(
            Trainer trainer, FashionMnistDataset data, CellClaims.Claim claim)
            throws IOException, TranslateException {
        return Batches.onEach(trainer.iterateDataset(data), batch -> claim.progressed());
    }

    private CellResult finish(
            Cell cell,
            Model model,
            Block network,
            Training state,
            String failure,
            String statistics)
            throws IOException {
        List<EpochResult> epochs = state.epochs;
        EpochResult best = null;
        Double bestPrecise = null;
        double seconds = 0;
        for (EpochResult epoch : epochs) {
            seconds += epoch.trainSeconds();
            if (best == null || epoch.testAccuracy() > best.testAccuracy()) {
                best = epoch;
            }
            if (epoch.preciseBnTestAccuracy() != null
                    && (bestPrecise == null || epoch.preciseBnTestAccuracy() > bestPrecise)) {
                bestPrecise = epoch.preciseBnTestAccuracy();
            }
        }
        EpochResult last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
        String modelPath = null;
        if (failure == null && last != null) {
            double accuracy =
                    ModelInfo.PRECISE_BN.equals(statistics)
                            ? last.preciseBnTestAccuracy()
                            : last.testAccuracy();
            ModelInfo info =
                    ModelInfo.of(cell.architecture(), cell.depth())
                            .trained(statistics, accuracy, last.epoch(), cell.seed());
            SavedModel.save(model, info, folder.modelFolder(cell));
            modelPath = folder.root().relativize(folder.modelFolder(cell)).toString();
        }
        state.endSession();
        CellResult result =
                new CellResult(
                        cell.id(),
                        cell.architecture().label(),
                        cell.depth(),
                        cell.seed(),
                        failure == null ? CellResult.FINISHED : CellResult.FAILED,
                        failure,
                        protocol,
                        SeedNet.countParameters(network),
                        device.toString(),
                        epochs,
                        last == null ? null : last.testAccuracy(),
                        best == null ? null : best.testAccuracy(),
                        best == null ? null : best.epoch(),
                        last == null ? null : last.preciseBnTestAccuracy(),
                        bestPrecise,
                        seconds,
                        state.norms,
                        modelPath,
                        state.stepLosses,
                        state.sessions);
        folder.save(result);
        return result;
    }

    /** The time now, ISO 8601 UTC to the second, as sessions record it. */
    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String megabytes(Double mb) {
        return mb == null ? "?" : String.format("%.0f", mb);
    }

    private void logEpoch(String label, Cell cell, EpochResult e, SweepProgress progress) {
        String precise =
                e.preciseBnTestAccuracy() == null
                        ? ""
                        : String.format(
                                ", %.2f%% after precise BN", 100 * e.preciseBnTestAccuracy());
        log.printf(
                "%s %s epoch %d/%d: train loss %.4f acc %.2f%% | test %.2f%% as trained%s | %.0f"
                        + " img/s, %.0f s, RSS %s MB (peak %s) | sweep ETA %s%n",
                label,
                cell.id(),
                e.epoch(),
                protocol.epochs(),
                e.trainLoss(),
                100 * e.trainAccuracy(),
                100 * e.testAccuracy(),
                precise,
                e.trainImagesPerSecond(),
                e.trainSeconds(),
                megabytes(e.residentMb()),
                megabytes(e.peakResidentMb()),
                progress.eta());
        log.flush();
    }

    /**
     * A cell's training so far: what a checkpoint saves. Steps, the epoch in progress and every
     * record continue from a checkpoint's {@link CellProgress}.
     */
    private final class Training {

        final Cell cell;
        final Block network;
        final ResumableOptimizer optimizer;
        final CellClaims.Claim claim;
        final List<EpochResult> epochs;
        final List<Float> stepLosses;
        final GradientNorms norms;
        final List<CellProgress.Session> sessions;
        int step;
        // The epoch in progress: running sums, and steps in it that are done.
        double lossSum;
        long correct;
        long images;
        double seconds;

        /** A cell that has not trained yet. */
        Training(Cell cell, Block network, ResumableOptimizer optimizer, CellClaims.Claim claim) {
            this.cell = cell;
            this.network = network;
            this.optimizer = optimizer;
            this.claim = claim;
            this.epochs = new ArrayList<>();
            this.stepLosses = new ArrayList<>();
            this.norms = GradientNorms.of(network, cell.architecture() != Architecture.RESNETV1);
            this.sessions = new ArrayList<>();
            sessions.add(newSession());
        }

        /** A cell continued from its checkpoint. */
        Training(
                Cell cell,
                Block network,
                ResumableOptimizer optimizer,
                CellClaims.Claim claim,
                CellProgress saved) {
            this.cell = cell;
            this.network = network;
            this.optimizer = optimizer;
            this.claim = claim;
            this.epochs = new ArrayList<>(saved.epochs());
            this.stepLosses = new ArrayList<>(saved.stepLosses());
            this.norms =
                    new GradientNorms(
                            saved.gradientNorms().parts(),
                            new ArrayList<>(saved.gradientNorms().steps()),
                            new ArrayList<>(saved.gradientNorms().norms()));
            this.sessions = new ArrayList<>(saved.sessions());
            this.step = saved.step();
            if (saved.partial() != null) {
                lossSum = saved.partial().lossSum();
                correct = saved.partial().correct();
                images = saved.partial().images();
                seconds = saved.partial().seconds();
            }
            sessions.add(newSession());
        }

        private CellProgress.Session newSession() {
            return new CellProgress.Session(
                    now(), null, step, step, Machine.current(), device.toString());
        }

        /** Marks this process's session as reaching the current step, now. */
        void endSession() {
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

        /**
         * Trains the rest of an epoch: all of it, or what its checkpoint had not done yet.
         *
         * @return null, or why the cell failed
         */
        String trainEpoch(Trainer trainer, int epoch, String label)
                throws IOException, TranslateException, StopSignal.Stopped {
            int done = step - (epoch - 1) * protocol.stepsPerEpoch();
            Engine.getInstance().setRandomSeed(seed(cell, Draw.SHUFFLE, epoch));
            Iterator<Batch> batches = trainer.iterateDataset(train).iterator();
            for (int i = 0; i < done && batches.hasNext(); i++) {
                batches.next().close(); // trained before the checkpoint
            }
            long start = System.nanoTime();
            long stoppedAtStart = StoppedTime.nanos();
            long lastLine = System.nanoTime();
            try (ProgressBar bar = progressBar(label + " " + cell.id() + " epoch " + epoch, done)) {
                while (batches.hasNext()) {
                    try (Batch batch = batches.next()) {
                        Engine.getInstance().setRandomSeed(seed(cell, Draw.DROPOUT, step + 1));
                        String failure = trainStep(trainer, batch);
                        if (failure != null) {
                            return failure + " (epoch " + epoch + ")";
                        }
                        step++;
                        claim.progressed();
                        if (step == 1 || step % GRADIENT_SAMPLE_EVERY == 0) {
                            norms.sample(network, step);
                        }
                        trainer.step();
                        if (step % RELEASE_MEMORY_EVERY == 0) {
                            NativeAllocator.current().releaseFreeMemory();
                        }
                    }
                    if (bar != null) {
                        bar.step();
                    } else if (System.nanoTime() - lastLine > PROGRESS_LINE_EVERY.toNanos()) {
                        lastLine = System.nanoTime();
                        logProgress(label, epoch, seconds + runningSince(start, stoppedAtStart));
                    }
                    boolean due = checkpointEvery > 0 && step % checkpointEvery == 0;
                    if (due || stop.requested()) {
                        seconds += runningSince(start, stoppedAtStart);
                        start = System.nanoTime();
                        stoppedAtStart = StoppedTime.nanos();
                        checkpoint();
                        stop.stopIfRequested(saved());
                    }
                }
            }
            seconds += runningSince(start, stoppedAtStart);
            return null;
        }

        /** Seconds since a start that this process ran, not counting where it was stopped. */
        private static double runningSince(long start, long stoppedAtStart) {
            return StoppedTime.runningSecondsSince(start, stoppedAtStart);
        }

        /** Without a terminal's progress bar: a line on how far the epoch has come. */
        private void logProgress(String label, int epoch, double epochSeconds) {
            int inEpoch = step - (epoch - 1) * protocol.stepsPerEpoch();
            log.printf(
                    "%s %s epoch %d/%d: step %,d of %,d, %.0f img/s%n",
                    label,
                    cell.id(),
                    epoch,
                    protocol.epochs(),
                    inEpoch,
                    protocol.stepsPerEpoch(),
                    images / Math.max(epochSeconds, 1e-9));
            log.flush();
        }

        /** Runs forward and backward; returns why, if the loss is not finite. */
        private String trainStep(Trainer trainer, Batch batch) {
            NDList labels = batch.getLabels();
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList scores = trainer.forward(batch.getData(), labels);
                NDArray loss = trainer.getLoss().evaluate(labels, scores);
                collector.backward(loss);
                float value = loss.getFloat();
                if (!Float.isFinite(value)) {
                    return "training loss became " + value + " at step " + (step + 1);
                }
                stepLosses.add(value);
                lossSum += value * batch.getSize();
                correct += Evaluation.correct(scores.head(), labels.head());
                images += batch.getSize();
                return null;
            }
        }

        /** Records a finished epoch and starts the next one's sums. */
        EpochResult endEpoch(int epoch, Evaluation test, Double precise) {
            EpochResult result =
                    new EpochResult(
                            epoch,
                            lossSum / images,
                            (double) correct / images,
                            test.loss(),
                            test.accuracy(),
                            precise,
                            seconds,
                            images / seconds,
                            ResidentMemory.currentMb(),
                            ResidentMemory.peakMb());
            epochs.add(result);
            lossSum = 0;
            correct = 0;
            images = 0;
            seconds = 0;
            return result;
        }

        /** Saves everything so far in the cell's checkpoint. */
        void checkpoint() throws IOException {
            claim.check(); // a worker that lost its cell must not overwrite the new owner's state
            endSession();
            boolean epochInProgress = step > epochs.size() * protocol.stepsPerEpoch();
            CellProgress progress =
                    new CellProgress(
                            cell.id(),
                            protocol,
                            step,
                            epochs.size(),
                            epochInProgress
                                    ? new CellProgress.EpochSoFar(lossSum, correct, images, seconds)
                                    : null,
                            epochs,
                            stepLosses,
                            norms,
                            sessions);
            checkpoints.save(cell, network, optimizer, progress);
        }

        /** What the last checkpoint holds, for the stop message. */
        String saved() {
            return String.format(
                    "%s at step %,d of %,d in %s",
                    cell.id(),
                    step,
                    protocol.epochs() * protocol.stepsPerEpoch(),
                    folder.root().relativize(checkpoints.latest(cell)));
        }

        private ProgressBar progressBar(String task, int done) {
            if (System.console() == null) {
                return null; // logs and CI get the one line per epoch instead
            }
            return new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(protocol.stepsPerEpoch())
                    .startsFrom(done, Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" steps", 1)
                    .build();
        }
    }
}
