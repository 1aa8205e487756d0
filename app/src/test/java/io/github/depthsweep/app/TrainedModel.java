package io.github.depthsweep.app;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A trained model in a run folder, made once per test JVM and shared by the test classes: the zoo's
 * plain-12 (trained by the paper run, in core's jar), its test accuracy measured here on the first
 * {@value #TEST_IMAGES} test images. The app's tests once trained plain-12 for a pass over 18,000
 * images here instead, 43 s of every CI run that core's TrainsOnRealDataTest already spends on the
 * same training.
 *
 * <p>It is saved as a run folder, {@code RUN/models/plain-12-seed0}, beside a copy that claims a
 * lower accuracy, so that the run resolves to the first.
 */
final class TrainedModel {

    static final int TEST_IMAGES = 2_000;
    static final long SEED = 0;
    private static final String ZOO = "io/github/depthsweep/core/zoo/stagenet/plain-12/";

    private static Path run;
    private static double accuracy;

    private TrainedModel() {}

    /**
     * Returns the run folder, making it on first use.
     *
     * @return the run folder
     */
    static synchronized Path run() {
        if (run == null) {
            try {
                run = make();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
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

    private static Path make() throws IOException {
        Path dir = Files.createTempDirectory("depthsweep-app-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        Path zoo = Files.createDirectories(dir.resolve("zoo"));
        ModelInfo info = ModelInfo.of(Architecture.PLAIN, 12);
        for (String file : List.of(SavedModel.INFO_FILE, info.name() + "-0000.params")) {
            try (InputStream in =
                    SavedModel.class.getClassLoader().getResourceAsStream(ZOO + file)) {
                if (in == null) {
                    throw new IOException("no " + ZOO + file + " on the class path");
                }
                Files.copy(in, zoo.resolve(file));
            }
        }
        // Initialized before its parameters load, as training leaves a model: DJL saves only a
        // block that knows its input.
        try (Model model = Model.newInstance(info.name());
                IdxDataset test =
                        IdxDataset.builder()
                                .optUsage(Usage.TEST)
                                .optLimit(TEST_IMAGES)
                                .setSampling(PaperProtocol.BATCH_SIZE, false)
                                .build()) {
            model.setBlock(SavedModel.newBlock(info));
            model.getBlock()
                    .initialize(model.getNDManager(), DataType.FLOAT32, StageNet.INPUT_SHAPE);
            model.load(zoo, info.name());
            test.prepare();
            ModelInfo trained = SavedModel.readInfo(zoo);
            accuracy =
                    ConfusionMatrix.measure(
                                    model.getBlock(),
                                    test.getData(model.getNDManager()),
                                    trained.classes())
                            .accuracy();
            Path models = dir.resolve(ModelFolders.MODELS);
            SavedModel.save(
                    model,
                    trained.trained(
                            trained.batchNormStatistics(), accuracy, trained.epochs(), SEED),
                    models.resolve("plain-12-seed0"));
            SavedModel.save(
                    model,
                    trained.trained(
                            trained.batchNormStatistics(),
                            accuracy / 2,
                            trained.epochs(),
                            SEED + 1),
                    models.resolve("plain-12-seed1"));
        } catch (MalformedModelException e) {
            throw new IOException("the zoo's plain-12 did not load: " + e.getMessage(), e);
        } catch (TranslateException e) {
            throw new IOException("the test images could not be read: " + e.getMessage(), e);
        }
        return dir;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp folder left behind is harmless.
        }
    }
}
