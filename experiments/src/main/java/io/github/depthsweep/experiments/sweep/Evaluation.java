package io.github.depthsweep.experiments.sweep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.inference.FreeingPredictor;
import io.github.depthsweep.core.training.PreciseBatchNorm;
import java.io.IOException;

/**
 * Test loss and accuracy of a model in inference mode (dropout off, BatchNorm's moving statistics).
 * The forward pass frees each layer's arrays once the next layer has its input ({@link
 * FreeingPredictor#forward}): DJL's own keeps them all until the batch ends, several GB for a
 * 50-layer net and a test batch of 500. The scores are the same arrays computed the same way.
 *
 * @param loss mean loss per image
 * @param accuracy fraction of images classified right
 */
record Evaluation(double loss, double accuracy) {

    /**
     * Evaluates the trainer's model on a dataset, batch by batch.
     *
     * @param trainer the trainer, for its model, loss and devices
     * @param batches the test data's batches
     * @return loss and accuracy
     * @throws IOException if the data cannot be read
     * @throws TranslateException if a batch cannot be made
     */
    public static Evaluation of(Trainer trainer, Iterable<Batch> batches)
            throws IOException, TranslateException {
        Block network = trainer.getModel().getBlock();
        ParameterStore parameters = new ParameterStore(trainer.getManager(), false);
        double lossSum = 0;
        long correct = 0;
        long count = 0;
        for (Batch batch : batches) {
            try (batch) {
                NDList labels = batch.getLabels();
                NDList scores = FreeingPredictor.forward(network, parameters, batch.getData());
                lossSum += trainer.getLoss().evaluate(labels, scores).getFloat() * batch.getSize();
                correct += correct(scores.head(), labels.head());
                count += batch.getSize();
            }
        }
        return new Evaluation(lossSum / count, (double) correct / count);
    }

    /**
     * Evaluates the trainer's model after precise BN: re-estimates every BatchNorm's statistics on
     * training batches in inference mode, measures test accuracy with them, and puts the trained
     * statistics back unless the new ones beat {@code keepAbove}.
     *
     * @param trainer the trainer
     * @param train the training data's batches, read in the order the engine's seed gives
     * @param batches how many training batches to re-estimate on
     * @param test the test data's batches
     * @param keepAbove keep the new statistics if their accuracy is above this; {@code
     *     Double.POSITIVE_INFINITY} never keeps them
     * @return loss and accuracy with the re-estimated statistics
     * @throws IOException if the data cannot be read
     * @throws TranslateException if a batch cannot be made
     */
    static Evaluation afterPreciseBn(
            Trainer trainer,
            Iterable<Batch> train,
            int batches,
            Iterable<Batch> test,
            double keepAbove)
            throws IOException, TranslateException {
        Block network = trainer.getModel().getBlock();
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList trained = PreciseBatchNorm.copyStatistics(network, scope);
            PreciseBatchNorm.reestimate(network, train, batches);
            Evaluation precise = of(trainer, test);
            if (!(precise.accuracy() > keepAbove)) {
                PreciseBatchNorm.restoreStatistics(network, trained);
            }
            return precise;
        }
    }

    /**
     * Counts the rows whose highest score is at the label.
     *
     * @param scores (N, classes) scores
     * @param labels (N) class indices, any numeric type
     * @return the number of correct rows
     */
    static long correct(NDArray scores, NDArray labels) {
        NDArray predicted = scores.argMax(1);
        return predicted.eq(labels.toType(DataType.INT64, false)).countNonzero().getLong();
    }
}
