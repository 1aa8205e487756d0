package io.github.depthsweep.app;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.inference.ConfusionMatrix;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.model.ModelFolders;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.core.training.PreciseBatchNorm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A model trained briefly on real data, once per test JVM and shared by the test classes: plain-12
 * for one pass over the first 18,000 training images with the seed's protocol, then precise BN. It
 * reaches about 70% test accuracy in about 40 s on two cores.
 *
 * <p>It is saved as a run folder, {@code RUN/models/plain-12-seed0}, beside a copy that claims a
 * lower accuracy, so that the run resolves to the first.
 */
final class TrainedModel {

    static final int TRAIN_IMAGES = Integer.getInteger("test.trainImages", 18_000);
    static final int TEST_IMAGES = 2_000;
    static final long SEED = 0;

    private static Path run;
    private static double accuracy;

    private TrainedModel() {}

    /**
     * Returns the run folder, training the model on first use.
     *
     * @return the run folder
     */
    static synchronized Path run() {
        if (run == null) {
            try {
                run = train();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (TranslateException e) {
                throw new IllegalStateException(e);
            }
        }
        return run;
    }

    /**
     * Returns the trained model's folder.
     *
     * @return {@code RUN/models/plain-12-seed0}
     */
    static Path folder() {
        return run().resolve(ModelFolders.MODELS).resolve("plain-12-seed0");
    }

    /**
     * Returns the test accuracy measured on the first {@value #TEST_IMAGES} test images.
     *
     * @return the accuracy
     */
    static double accuracy() {
        run();
        return accuracy;
    }

    private static Path train() throws IOException, TranslateException {
        Path dir = Files.createTempDirectory("depthsweep-app-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        Engine.getInstance().setRandomSeed((int) SEED);
        ModelInfo info = ModelInfo.of(Architecture.PLAIN, 12);
        try (Model model = Model.newInstance(info.name());
                IdxDataset train = split(Usage.TRAIN, TRAIN_IMAGES, true);
                IdxDataset test = split(Usage.TEST, TEST_IMAGES, false)) {
            model.setBlock(Architecture.PLAIN.build(12, info.classes().size()));
            try (Trainer trainer = model.newTrainer(PaperProtocol.trainingConfig())) {
                trainer.initialize(StageNet.INPUT_SHAPE);
                long start = System.nanoTime();
                EasyTrain.fit(trainer, 1, train, null);
                // With the seed's BN momentum, the moving statistics lag far behind after one pass.
                PreciseBatchNorm.reestimate(model.getBlock(), trainer.iterateDataset(train), 20);
                accuracy =
                        ConfusionMatrix.measure(
                                        model.getBlock(),
                                        trainer.iterateDataset(test),
                                        info.classes())
                                .accuracy();
                System.out.printf(
                        "trained plain-12 on %d images in %.0f s: %.4f on %d test images%n",
                        TRAIN_IMAGES, (System.nanoTime() - start) / 1e9, accuracy, TEST_IMAGES);
            }
            Path models = dir.resolve(ModelFolders.MODELS);
            SavedModel.save(
                    model,
                    info.trained(ModelInfo.PRECISE_BN, accuracy, 1, SEED),
                    models.resolve("plain-12-seed0"));
            SavedModel.save(
                    model,
                    info.trained(ModelInfo.PRECISE_BN, accuracy / 2, 1, SEED + 1),
                    models.resolve("plain-12-seed1"));
        }
        return dir;
    }

    private static IdxDataset split(Usage usage, int limit, boolean shuffle) {
        return IdxDataset.builder()
                .optUsage(usage)
                .optLimit(limit)
                .setSampling(PaperProtocol.BATCH_SIZE, shuffle)
                .build();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp folder left behind is harmless.
        }
    }
}
