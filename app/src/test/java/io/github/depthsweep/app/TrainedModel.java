package io.github.depthsweep.app;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.inference.ConfusionMatrix;
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
 * {@value #TEST_IMAGES} test images. Not trained here: core's TrainsOnRealDataTest already trains
 * plain-12 on real data, and doing it again cost each CI run 43 s (docs/results/ci-time.md).
 *
 * <p>It is saved as a run folder, {@code RUN/models/plain-12-seed0}, beside a copy that claims a
 * lower accuracy, so that the run resolves to the first.
 */
final class TrainedModel {

    static final int TEST_IMAGES = 2_000;
    static final long SEED = 0;

    /** Where core's jar holds the zoo's model folders. */
    private static final String ZOO = "io/github/depthsweep/core/zoo/stagenet/";

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
        Path zoo = copyFromZoo("plain-12", dir.resolve("zoo"));
        ModelInfo info = SavedModel.readInfo(zoo);
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
            accuracy =
                    ConfusionMatrix.measure(
                                    model.getBlock(),
                                    test.getData(model.getNDManager()),
                                    info.classes())
                            .accuracy();
            Path models = dir.resolve(ModelFolders.MODELS);
            SavedModel.save(
                    model,
                    info.trained(info.batchNormStatistics(), accuracy, info.epochs(), SEED),
                    models.resolve("plain-12-seed0"));
            SavedModel.save(
                    model,
                    info.trained(info.batchNormStatistics(), accuracy / 2, info.epochs(), SEED + 1),
                    models.resolve("plain-12-seed1"));
        } catch (MalformedModelException e) {
            throw new IOException("the zoo's plain-12 did not load: " + e.getMessage(), e);
        } catch (TranslateException e) {
            throw new IOException("the test images could not be read: " + e.getMessage(), e);
        }
        return dir;
    }

    /**
     * Copies one of the zoo's model folders out of core's jar.
     *
     * @param model {@code plain-12} or {@code residual-12}
     * @param folder where to; made if missing
     * @return the folder
     * @throws IOException if a file is missing from the class path or cannot be written
     */
    static Path copyFromZoo(String model, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String file : List.of(SavedModel.INFO_FILE, model + "-0000.params")) {
            Files.write(folder.resolve(file), zooFile(model + "/" + file));
        }
        return folder;
    }

    /**
     * Reads one file of the zoo's model folders from core's jar.
     *
     * @param path e.g. {@code plain-12/plain-12-0000.params}
     * @return its bytes
     * @throws IOException if it is not on the class path
     */
    static byte[] zooFile(String path) throws IOException {
        try (InputStream in = SavedModel.class.getClassLoader().getResourceAsStream(ZOO + path)) {
            if (in == null) {
                throw new IOException("no " + ZOO + path + " on the class path");
            }
            return in.readAllBytes();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp folder left behind is harmless.
        }
    }
}
