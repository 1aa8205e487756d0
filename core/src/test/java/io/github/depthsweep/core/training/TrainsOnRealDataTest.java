package io.github.depthsweep.core.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.nn.Variant;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * plain-12 on a slice of the real training data, the seed's protocol: far above chance on test
 * images in inference mode once precise BN has re-estimated the BatchNorm statistics.
 */
class TrainsOnRealDataTest {

    private static final int TRAIN_IMAGES = Integer.getInteger("test.trainImages", 18_000);
    private static final int TEST_IMAGES = 2_000;

    @Test
    void plain12BeatsChanceByAWideMarginAfterPreciseBatchNorm()
            throws IOException, TranslateException {
        try (Model model = Model.newInstance("plain-12");
                IdxDataset train = split(Usage.TRAIN, TRAIN_IMAGES, true);
                IdxDataset test = split(Usage.TEST, TEST_IMAGES, false)) {
            model.setBlock(StageNet.builder().setVariant(Variant.PLAIN).setDepth(12).build());
            try (Trainer trainer = model.newTrainer(PaperProtocol.trainingConfig())) {
                trainer.initialize(StageNet.INPUT_SHAPE);
                long start = System.nanoTime();
                EasyTrain.fit(trainer, 1, train, null);
                double seconds = (System.nanoTime() - start) / 1e9;

                double asTrained = accuracy(trainer, test);
                int used =
                        PreciseBatchNorm.reestimate(
                                model.getBlock(), trainer.iterateDataset(train), 20);
                double precise = accuracy(trainer, test);
                System.out.printf(
                        "plain-12, %d steps in %.0f s: test accuracy %.4f as trained, %.4f after"
                                + " precise BN over %d batches%n",
                        TRAIN_IMAGES / PaperProtocol.BATCH_SIZE, seconds, asTrained, precise, used);
                assertTrue(precise > 0.50, "test accuracy after precise BN: " + precise);
            }
        }
    }

    private static double accuracy(Trainer trainer, IdxDataset test)
            throws IOException, TranslateException {
        long correct = 0;
        for (Batch batch : trainer.iterateDataset(test)) {
            try (batch) {
                ParameterStore parameters = new ParameterStore(batch.getManager(), false);
                NDList scores =
                        trainer.getModel().getBlock().forward(parameters, batch.getData(), false);
                NDArray predicted = scores.singletonOrThrow().argMax(1);
                correct +=
                        predicted
                                .eq(
                                        batch.getLabels()
                                                .singletonOrThrow()
                                                .toType(predicted.getDataType(), false))
                                .sum()
                                .getLong();
            }
        }
        return (double) correct / test.size();
    }

    private static IdxDataset split(Usage usage, int limit, boolean shuffle) {
        return IdxDataset.builder()
                .optUsage(usage)
                .optLimit(limit)
                .setSampling(PaperProtocol.BATCH_SIZE, shuffle)
                .build();
    }
}
