package io.github.depthsweep.experiments;

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
import io.github.depthsweep.core.data.FashionMnistDataset;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import io.github.depthsweep.core.nn.SeedNet;
import io.github.depthsweep.core.training.PreciseBatchNorm;
import io.github.depthsweep.core.training.SeedProtocol;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains one cell with the seed's protocol, evaluates it after every epoch (as trained, and after
 * precise BN), records gradient norms, and saves the model.
 */
final class CellTrainer {

    /** Gradient norms are sampled at step 1 and every this many steps. */
    static final int GRADIENT_SAMPLE_EVERY = 10;

    /**
     * Under glibc's malloc, freed pages go back to the kernel every this many steps and after every
     * epoch; otherwise its heap keeps growing (docs/results/speed.md, "Memory across epochs"). A
     * release costs one step's page faults.
     */
    static final int RELEASE_MEMORY_EVERY = 50;

    private final Protocol protocol;
    private final Device device;
    private final FashionMnistDataset train;
    private final FashionMnistDataset test;
    private final RunFolder folder;
    private final PrintWriter log;

    CellTrainer(
            Protocol protocol,
            Device device,
            FashionMnistDataset train,
            FashionMnistDataset test,
            RunFolder folder,
            PrintWriter log) {
        this.protocol = protocol;
        this.device = device;
        this.train = train;
        this.test = test;
        this.folder = folder;
        this.log = log;
    }

    /**
     * Trains a cell and records its result and model. A non-finite loss ends the cell as failed.
     *
     * @param cell the cell
     * @param label a prefix for log lines, e.g. {@code [3/8]}
     * @param progress the sweep's progress, told after every epoch
     * @param workPerEpoch this cell's share of the sweep's work per epoch
     * @return the result, also saved in the run folder
     * @throws IOException if data or files cannot be read or written
     * @throws TranslateException if a batch cannot be made
     */
    CellResult run(Cell cell, String label, SweepProgress progress, double workPerEpoch)
            throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed(cell.seed());
        try (Model model = Model.newInstance(cell.model(), device)) {
            Block network =
                    cell.architecture().build(cell.depth(), FashionMnistDataset.CLASSES.size());
            model.setBlock(network);
            DefaultTrainingConfig config =
                    SeedProtocol.trainingConfig(protocol.learningRate(), protocol.decay())
                            .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(SeedNet.INPUT_SHAPE);
                GradientNorms norms =
                        GradientNorms.of(network, cell.architecture() != Architecture.RESNETV1);
                List<EpochResult> epochs = new ArrayList<>();
                String failure = null;
                String statistics = ModelInfo.AS_TRAINED;
                int step = 0;
                for (int epoch = 1; epoch <= protocol.epochs() && failure == null; epoch++) {
                    long epochStart = System.nanoTime();
                    EpochTraining training = new EpochTraining(step);
                    training.run(trainer, norms, label + " " + cell.id() + " epoch " + epoch);
                    step = training.step;
                    if (training.failure != null) {
                        failure = training.failure + " (epoch " + epoch + ")";
                        break;
                    }
                    Evaluation asTrained = Evaluation.of(trainer, test);
                    Double precise = null;
                    if (protocol.preciseBnBatches() > 0) {
                        boolean last = epoch == protocol.epochs();
                        precise = preciseBnAccuracy(trainer, asTrained.accuracy(), last);
                        if (last && precise > asTrained.accuracy()) {
                            statistics = ModelInfo.PRECISE_BN;
                        }
                    }
                    NativeAllocator.current()
                            .releaseFreeMemory(); // before the epoch's memory is read
                    progress.done(workPerEpoch, (System.nanoTime() - epochStart) / 1e9);
                    EpochResult result = training.result(epoch, asTrained, precise);
                    epochs.add(result);
                    logEpoch(label, cell, result, progress);
                }
                return finish(cell, model, network, epochs, failure, statistics, norms);
            }
        }
    }

    /**
     * Re-estimates BatchNorm statistics, measures test accuracy with them, and puts the trained
     * statistics back, unless this is the last epoch and the new ones do better: then the saved
     * model keeps them.
     */
    private double preciseBnAccuracy(Trainer trainer, double asTrained, boolean keepIfBetter)
            throws IOException, TranslateException {
        Block network = trainer.getModel().getBlock();
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList trained = PreciseBatchNorm.copyStatistics(network, scope);
            PreciseBatchNorm.reestimate(
                    network, trainer.iterateDataset(train), protocol.preciseBnBatches());
            double precise = Evaluation.of(trainer, test).accuracy();
            if (!(keepIfBetter && precise > asTrained)) {
                PreciseBatchNorm.restoreStatistics(network, trained);
            }
            return precise;
        }
    }

    private CellResult finish(
            Cell cell,
            Model model,
            Block network,
            List<EpochResult> epochs,
            String failure,
            String statistics,
            GradientNorms norms)
            throws IOException {
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
                        norms,
                        modelPath);
        folder.save(result);
        return result;
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

    /** One epoch of optimiser steps, with its running loss and accuracy. */
    private final class EpochTraining {

        int step;
        double lossSum;
        long correct;
        long images;
        double seconds;
        String failure;

        EpochTraining(int step) {
            this.step = step;
        }

        void run(Trainer trainer, GradientNorms norms, String task)
                throws IOException, TranslateException {
            Block network = trainer.getModel().getBlock();
            long start = System.nanoTime();
            try (ProgressBar bar = progressBar(task)) {
                for (Batch batch : trainer.iterateDataset(train)) {
                    try (batch) {
                        if (!trainStep(trainer, batch)) {
                            break;
                        }
                        step++;
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
                    }
                }
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }

        /** Runs forward and backward; returns false, with the reason, if the loss is not finite. */
        private boolean trainStep(Trainer trainer, Batch batch) {
            NDList labels = batch.getLabels();
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList scores = trainer.forward(batch.getData(), labels);
                NDArray loss = trainer.getLoss().evaluate(labels, scores);
                collector.backward(loss);
                float value = loss.getFloat();
                if (!Float.isFinite(value)) {
                    failure = "training loss became " + value + " at step " + (step + 1);
                    return false;
                }
                lossSum += value * batch.getSize();
                correct += Evaluation.correct(scores.head(), labels.head());
                images += batch.getSize();
                return true;
            }
        }

        EpochResult result(int epoch, Evaluation test, Double precise) {
            return new EpochResult(
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
        }

        private ProgressBar progressBar(String task) {
            if (System.console() == null) {
                return null; // logs and CI get the one line per epoch instead
            }
            return new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(protocol.stepsPerEpoch())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" steps", 1)
                    .build();
        }
    }
}
