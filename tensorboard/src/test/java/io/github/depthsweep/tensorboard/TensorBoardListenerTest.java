package io.github.depthsweep.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener on DJL's own training loop, as a DJL user adds it. */
class TensorBoardListenerTest {

    @TempDir Path folder;

    @Test
    void writesEveryStepAndEpochOfEasyTrain() throws IOException, TranslateException {
        Path run = folder.resolve("runs/mlp");
        Tracker rate = Tracker.fixed(0.05f);
        try (Model model = Model.newInstance("mlp");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(8).build())
                            .add(Activation::relu)
                            .add(Linear.builder().setUnits(2).build()));
            NDArray x = manager.randomNormal(new Shape(60, 4));
            NDArray y = x.get(":, 0").gt(0).toType(DataType.FLOAT32, false);
            ArrayDataset train =
                    new ArrayDataset.Builder()
                            .setData(x)
                            .optLabels(y)
                            .setSampling(20, false)
                            .build();
            ArrayDataset validate =
                    new ArrayDataset.Builder()
                            .setData(x)
                            .optLabels(y)
                            .setSampling(30, false)
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .addEvaluator(new Accuracy())
                            .optOptimizer(Optimizer.sgd().setLearningRateTracker(rate).build())
                            .addTrainingListeners(TrainingListener.Defaults.basic())
                            .addTrainingListeners(
                                    TensorBoardListener.builder(run)
                                            .optHparams(Map.of("hidden", 8, "optimizer", "sgd"))
                                            .optLearningRate(rate)
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(20, 4));
                EasyTrain.fit(trainer, 2, train, validate);
            }
        }
        Path file;
        try (Stream<Path> files = Files.list(run)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all::toString);
            file = all.get(0);
        }
        List<EventFiles.Event> events = EventFiles.read(file);
        // file_version, session start, hparams, then 3 batches and an epoch, twice
        assertEquals(3 + 2 * (3 + 1), events.size());
        assertEquals(1, events.get(1).step(), "a session starts at step 1");
        assertTrue(events.get(2).content().toStringUtf8().contains("_hparams_/session_start_info"));
        for (int step = 1; step <= 3; step++) {
            EventFiles.Event batch = events.get(2 + step);
            assertEquals(step, batch.step());
            assertEquals(List.of("train/loss", "train/learning_rate"), batch.tags());
            assertEquals(0.05f, batch.scalars().get("train/learning_rate"));
            assertTrue(batch.scalars().get("train/loss") > 0);
        }
        EventFiles.Event epoch = events.get(6);
        assertEquals(3, epoch.step());
        Map<String, Float> scalars = epoch.scalars();
        assertTrue(
                scalars.keySet()
                        .containsAll(
                                List.of(
                                        "epoch/train_loss",
                                        "epoch/validate_loss",
                                        "epoch/train_Accuracy",
                                        "epoch/validate_Accuracy")),
                scalars::toString);
        assertTrue(epoch.tags().stream().anyMatch(tag -> tag.startsWith("weights/")));
        assertEquals(6, events.get(10).step());
    }
}
