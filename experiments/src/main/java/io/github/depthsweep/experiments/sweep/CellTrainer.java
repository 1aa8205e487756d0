package io.github.depthsweep.experiments.sweep;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.data.Batches;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.core.training.ResumableOptimizer;
import io.github.depthsweep.experiments.run.Cell;
import io.github.depthsweep.experiments.run.CellCheckpoints;
import io.github.depthsweep.experiments.run.CellClaims;
import io.github.depthsweep.experiments.run.CellProgress;
import io.github.depthsweep.experiments.run.CellRecord;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.sweep.CellRandomness.Draw;
import io.github.depthsweep.experiments.system.StoppedTime;
import io.github.depthsweep.experiments.tensorboard.CellEvents;
import io.github.depthsweep.experiments.tensorboard.RunEvents;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains one cell: the training loop, an evaluation after every epoch (as trained, and after
 * precise BN), checkpoints, and the saved model at the end. What the loop measures goes into the
 * cell's {@link CellRecord}; where randomness comes from is {@link CellRandomness}; progress lines
 * and memory release are DJL {@link TrainingListener}s, which the loop notifies as DJL's {@code
 * EasyTrain} does, so a sweep can take more of them (tests use one to interrupt training at a
 * chosen step).
 *
 * <p>A checkpoint is saved after every epoch, every {@code checkpointEvery} steps and on a stop
 * signal, and a rerun continues from there exactly: the same batches, dropout masks, losses and
 * final weights as a run that never stopped.
 *
 * <p>The step loop is written out rather than driven by {@code EasyTrain.fit}: resuming mid-epoch
 * has to skip the batches trained before the checkpoint, dropout has to be reseeded before each
 * forward pass (listeners only hear after a batch), and a stop signal has to end the epoch between
 * two steps; none of these fit a listener.
 */
public final class CellTrainer {

    private final Protocol protocol;
    private final Device device;
    private final IdxDataset train;
    private final IdxDataset test;
    private final RunFolder folder;
    private final CellCheckpoints checkpoints;
    private final int checkpointEvery;
    private final StopSignal stop;
    private final List<TrainingListener> listeners;
    private final RunEvents events;
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
     * @param listeners more listeners for every cell's training, told as DJL's own are
     * @param events where each cell's TensorBoard events go
     * @param log where progress goes
     */
    public CellTrainer(
            Protocol protocol,
            Device device,
            IdxDataset train,
            IdxDataset test,
            RunFolder folder,
            int checkpointEvery,
            StopSignal stop,
            List<TrainingListener> listeners,
            RunEvents events,
            PrintWriter log) {
        this.protocol = protocol;
        this.device = device;
        this.train = train;
        this.test = test;
        this.folder = folder;
        this.checkpoints = new CellCheckpoints(folder.root(), log);
        this.checkpointEvery = checkpointEvery;
        this.stop = stop;
        this.listeners = List.copyOf(listeners);
        this.events = events;
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
        CellRandomness random = new CellRandomness(cell);
        random.seedInitialWeights();
        try (Model model = Model.newInstance(cell.model(), device)) {
            Block network =
                    cell.architecture().build(cell.depth(), train.dataset().classes().size());
            model.setBlock(network);
            ResumableOptimizer optimizer = protocol.newOptimizer();
            String task = label + " " + cell.id();
            StepProgress steps =
                    new StepProgress(task, protocol.epochs(), protocol.stepsPerEpoch(), log);
            List<TrainingListener> all = new ArrayList<>(List.of(new MemoryRelease(), steps));
            all.addAll(listeners);
            DefaultTrainingConfig config =
                    PaperProtocol.trainingConfig(optimizer)
                            .optDevices(new Device[] {device})
                            .addTrainingListeners(all.toArray(TrainingListener[]::new));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(StageNet.INPUT_SHAPE);
                CellRecord record = start(cell, task, network, optimizer);
                steps.startAt(record.step());
                try (CellEvents charts =
                        events.cell(
                                cell.id(),
                                CellEvents.hparams(
                                        cell.architecture().label(),
                                        cell.depth(),
                                        cell.seed(),
                                        protocol),
                                record)) {
                    String failure = null;
                    String statistics = ModelInfo.AS_TRAINED;
                    for (int epoch = record.epochsDone() + 1; epoch <= protocol.epochs(); epoch++) {
                        long epochStart = System.nanoTime();
                        long stoppedAtStart = StoppedTime.nanos();
                        int stepsBefore = record.stepsIntoEpoch();
                        try {
                            trainEpoch(
                                    trainer, cell, random, record, optimizer, claim, epoch, charts);
                        } catch (Diverged e) {
                            failure = e.getMessage() + " (epoch " + epoch + ")";
                            break;
                        }
                        Evaluation asTrained =
                                Evaluation.of(trainer, progressing(trainer, test, claim));
                        Double precise = null;
                        if (protocol.preciseBnBatches() > 0) {
                            boolean last = epoch == protocol.epochs();
                            random.seedFor(Draw.PRECISE_BN, epoch);
                            precise =
                                    Evaluation.afterPreciseBn(
                                                    trainer,
                                                    progressing(trainer, train, claim),
                                                    protocol.preciseBnBatches(),
                                                    progressing(trainer, test, claim),
                                                    last
                                                            ? asTrained.accuracy()
                                                            : Double.POSITIVE_INFINITY)
                                            .accuracy();
                            if (last && precise > asTrained.accuracy()) {
                                statistics = ModelInfo.PRECISE_BN; // the saved model keeps them
                            }
                        }
                        trainer.notifyListeners(listener -> listener.onEpoch(trainer));
                        double seconds =
                                StoppedTime.runningSecondsSince(epochStart, stoppedAtStart);
                        if (stepsBefore == 0) {
                            progress.done(workPerEpoch, seconds);
                        } else {
                            progress.donePartly(
                                    workPerEpoch,
                                    workPerEpoch * SweepPlan.shareAfter(protocol, stepsBefore),
                                    seconds);
                        }
                        EpochResult result =
                                record.endEpoch(
                                        epoch,
                                        asTrained.loss(),
                                        asTrained.accuracy(),
                                        precise,
                                        network);
                        charts.catchUp(record);
                        charts.flush();
                        logEpoch(task, result, progress);
                        if (epoch < protocol.epochs()) {
                            checkpoint(cell, record, network, optimizer, claim);
                        }
                    }
                    claim.check();
                    CellResult result = finish(cell, model, record, failure, statistics);
                    checkpoints.delete(cell);
                    return result;
                }
            }
        }
    }

    /** A new cell's record, or its checkpoint's with the network and optimizer restored. */
    private CellRecord start(Cell cell, String task, Block network, ResumableOptimizer optimizer)
            throws IOException {
        Optional<CellProgress> saved = checkpoints.restore(cell, protocol, network, optimizer);
        if (saved.isEmpty()) {
            return CellRecord.start(cell, protocol, network, device.toString());
        }
        CellRecord record = CellRecord.resume(cell, saved.get(), device.toString());
        log.printf(
                "%s: resuming from its checkpoint at step %,d of %,d (epoch %d, %d of %d steps"
                        + " done; session %d)%n",
                task,
                record.step(),
                protocol.epochs() * protocol.stepsPerEpoch(),
                record.epochsDone() + 1,
                record.stepsIntoEpoch(),
                protocol.stepsPerEpoch(),
                record.sessionCount());
        log.flush();
        return record;
    }

    /**
     * Trains the rest of an epoch: all of it, or what its checkpoint had not done yet.
     *
     * @throws Diverged if the loss stops being finite
     */
    private void trainEpoch(
            Trainer trainer,
            Cell cell,
            CellRandomness random,
            CellRecord record,
            ResumableOptimizer optimizer,
            CellClaims.Claim claim,
            int epoch,
            CellEvents charts)
            throws IOException, TranslateException, StopSignal.Stopped, Diverged {
        random.seedFor(Draw.SHUFFLE, epoch);
        Iterator<Batch> batches = trainer.iterateDataset(train).iterator();
        for (int i = record.stepsIntoEpoch(); i > 0 && batches.hasNext(); i--) {
            batches.next().close(); // trained before the checkpoint
        }
        long start = System.nanoTime();
        long stoppedAtStart = StoppedTime.nanos();
        while (batches.hasNext()) {
            try (Batch batch = batches.next()) {
                random.seedFor(Draw.DROPOUT, record.step() + 1);
                BatchData step = trainStep(trainer, batch, record);
                charts.catchUp(record);
                claim.progressed();
                trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, step));
                trainer.step();
            }
            boolean due = checkpointEvery > 0 && record.step() % checkpointEvery == 0;
            if (due || stop.requested()) {
                record.addSeconds(StoppedTime.runningSecondsSince(start, stoppedAtStart));
                start = System.nanoTime();
                stoppedAtStart = StoppedTime.nanos();
                checkpoint(cell, record, trainer.getModel().getBlock(), optimizer, claim);
            }
        }
        record.addSeconds(StoppedTime.runningSecondsSince(start, stoppedAtStart));
    }

    /**
     * Runs forward and backward, and records the step.
     *
     * @return the batch with its labels and scores, for the listeners
     * @throws Diverged if the loss is not finite
     */
    private BatchData trainStep(Trainer trainer, Batch batch, CellRecord record) throws Diverged {
        NDList labels = batch.getLabels();
        NDList scores;
        float loss;
        long correct;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            scores = trainer.forward(batch.getData(), labels);
            NDArray value = trainer.getLoss().evaluate(labels, scores);
            collector.backward(value);
            loss = value.getFloat();
            correct = Evaluation.correct(scores.head(), labels.head());
        }
        if (!Float.isFinite(loss)) {
            throw new Diverged("training loss became " + loss + " at step " + (record.step() + 1));
        }
        record.addStep(loss, batch.getSize(), correct, trainer.getModel().getBlock());
        return new BatchData(batch, Map.of(device, labels), Map.of(device, scores));
    }

    /** Saves the cell's state, then ends the sweep here if a stop was asked for. */
    private void checkpoint(
            Cell cell,
            CellRecord record,
            Block network,
            ResumableOptimizer optimizer,
            CellClaims.Claim claim)
            throws IOException, StopSignal.Stopped {
        claim.check(); // a worker that lost its cell must not overwrite the new owner's state
        checkpoints.save(cell, network, optimizer, record.progress());
        stop.stopIfRequested(
                String.format(
                        "%s at step %,d of %,d in %s",
                        cell.id(),
                        record.step(),
                        protocol.epochs() * protocol.stepsPerEpoch(),
                        folder.root().relativize(checkpoints.latest(cell))));
    }

    /** A dataset's batches, each one telling the claim that this worker is making progress. */
    private static Iterable<Batch> progressing(
            Trainer trainer, IdxDataset data, CellClaims.Claim claim)
            throws IOException, TranslateException {
        return Batches.onEach(trainer.iterateDataset(data), batch -> claim.progressed());
    }

    /** Saves the model of a cell that finished, and its result either way. */
    private CellResult finish(
            Cell cell, Model model, CellRecord record, String failure, String statistics)
            throws IOException {
        String modelPath = null;
        Optional<EpochResult> finished = record.lastEpoch();
        if (failure == null && finished.isPresent()) {
            EpochResult last = finished.get();
            double accuracy =
                    ModelInfo.PRECISE_BN.equals(statistics)
                            ? last.preciseBnTestAccuracy()
                            : last.testAccuracy();
            ModelInfo info =
                    ModelInfo.of(cell.architecture(), cell.depth(), train.dataset())
                            .trained(statistics, accuracy, last.epoch(), cell.seed());
            SavedModel.save(model, info, folder.modelFolder(cell));
            modelPath = folder.root().relativize(folder.modelFolder(cell)).toString();
        }
        long parameters = StageNet.countParameters(model.getBlock());
        CellResult result = record.result(failure, parameters, device.toString(), modelPath);
        folder.save(result);
        return result;
    }

    private void logEpoch(String task, EpochResult e, SweepProgress progress) {
        String precise =
                e.preciseBnTestAccuracy() == null
                        ? ""
                        : String.format(
                                ", %.2f%% after precise BN", 100 * e.preciseBnTestAccuracy());
        log.printf(
                "%s epoch %d/%d: train loss %.4f acc %.2f%% | test %.2f%% as trained%s | %.0f"
                        + " img/s, %.0f s, RSS %s MB (peak %s) | sweep ETA %s%n",
                task,
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

    private static String megabytes(Double mb) {
        return mb == null ? "?" : String.format("%.0f", mb);
    }

    /** The training loss stopped being finite: the cell ends as failed. */
    private static final class Diverged extends Exception {

        private static final long serialVersionUID = 1L;

        Diverged(String message) {
            super(message);
        }
    }
}
