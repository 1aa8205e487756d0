package io.github.depthsweep.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import io.github.depthsweep.core.nn.StageNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A saved model loads through {@link SavedModel#load} and through DJL's {@code Criteria}, for every
 * architecture, and both give the same predictions; each fault gets a one-line message.
 */
class SavedModelCriteriaTest {

    @TempDir Path dir;

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"plain, 4", "residual, 13", "resnetv1, 8"})
    void bothPathsGiveIdenticalPredictions(String architecture, int depth) throws Exception {
        Path folder = save(Architecture.parse(architecture), depth, dir.resolve("m"));
        List<Image> images = List.of(noise(28, 28, 1), noise(45, 30, 2), noise(20, 64, 3));

        try (Model model = SavedModel.load(folder);
                ZooModel<Image, Classifications> zoo = SavedModelCriteria.of(folder).loadModel();
                Predictor<Image, Classifications> predictor = zoo.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            List<Classifications> batch = predictor.batchPredict(images);
            for (int i = 0; i < images.size(); i++) {
                NDArray input =
                        GrayscaleImages.toInput(images.get(i), manager, Invert.AUTO).expandDims(0);
                NDList logits =
                        model.getBlock()
                                .forward(
                                        new ParameterStore(manager, false),
                                        new NDList(input),
                                        false);
                float[] direct = logits.singletonOrThrow().softmax(-1).toFloatArray();
                Classifications single = predictor.predict(images.get(i));
                assertEquals(Datasets.FASHION_MNIST.classes(), single.getClassNames());
                for (int c = 0; c < direct.length; c++) {
                    assertEquals(direct[c], single.getProbabilities().get(c), 1e-6, "class " + c);
                    assertEquals(direct[c], batch.get(i).getProbabilities().get(c), 1e-5);
                }
                double sum = single.getProbabilities().stream().mapToDouble(d -> d).sum();
                assertEquals(1.0, sum, 1e-5);
            }
        }
    }

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"plain, 4", "residual, 13", "resnetv1, 8"})
    void theFreeingPredictorGivesDjlsResultsAndKeepsOnlyTheOutput(String architecture, int depth)
            throws Exception {
        Path folder = save(Architecture.parse(architecture), depth, dir.resolve("m"));
        List<Image> images = List.of(noise(28, 28, 1), noise(45, 30, 2), noise(20, 64, 3));
        try (ZooModel<Image, Classifications> zoo = SavedModelCriteria.of(folder).loadModel();
                Predictor<Image, Classifications> djl = zoo.newPredictor();
                Predictor<Image, Classifications> freeing =
                        new FreeingPredictor<>(zoo, zoo.getTranslator())) {
            List<Classifications> expected = djl.batchPredict(images);
            List<Classifications> actual = freeing.batchPredict(images);
            for (int i = 0; i < images.size(); i++) {
                List<Double> p = expected.get(i).getProbabilities();
                List<Double> q = actual.get(i).getProbabilities();
                for (int c = 0; c < p.size(); c++) {
                    assertEquals(p.get(c), q.get(c), 1e-7, "image " + i + ", class " + c);
                }
            }

            int parameters = zoo.getNDManager().getManagedArrays().size();
            ParameterStore store = new ParameterStore(zoo.getNDManager(), false);
            try (NDManager owner = zoo.getNDManager().newSubManager()) {
                NDArray batch =
                        owner.randomUniform(0, 1, new ai.djl.ndarray.types.Shape(4, 1, 28, 28));
                NDList output = FreeingPredictor.forward(zoo.getBlock(), store, new NDList(batch));
                assertEquals(new ai.djl.ndarray.types.Shape(4, 10), output.head().getShape());
                assertEquals(
                        List.of(output.head()),
                        owner.getManagedArrays(),
                        "only the output is left; the input and every intermediate are freed");
                // DJL's own forward keeps everything until the manager closes.
                NDArray again =
                        owner.randomUniform(0, 1, new ai.djl.ndarray.types.Shape(4, 1, 28, 28));
                zoo.getBlock().forward(store, new NDList(again), false);
                assertTrue(owner.getManagedArrays().size() > 10, "DJL keeps the intermediates");
            }
            assertEquals(parameters, zoo.getNDManager().getManagedArrays().size(), "no leak");
        }
    }

    @Test
    void theTranslatorRefusesImagesOverItsPixelLimitWithATypedCause() throws Exception {
        Path folder = save(Architecture.PLAIN, 4, dir.resolve("m"));
        ModelInfo info = SavedModel.readInfo(folder);
        var criteria =
                SavedModelCriteria.of(folder).toBuilder()
                        .optTranslator(
                                StageNetTranslator.builder()
                                        .setClasses(info.classes())
                                        .optMaxPixels(40 * 40)
                                        .build())
                        .build();
        try (ZooModel<Image, Classifications> zoo = criteria.loadModel();
                Predictor<Image, Classifications> predictor = zoo.newPredictor()) {
            assertEquals(10, predictor.predict(noise(40, 40, 5)).getProbabilities().size());
            TranslateException e =
                    assertThrows(
                            TranslateException.class,
                            () ->
                                    predictor.batchPredict(
                                            List.of(noise(28, 28, 6), noise(41, 40, 7))));
            ImageTooLargeException cause = (ImageTooLargeException) e.getCause();
            assertEquals(41, cause.getWidth());
            assertEquals(1600, cause.getMaxPixels());
            assertEquals(null, cause.getFile());
        }
        // The default limit is the documented one.
        assertEquals(
                GrayscaleImages.DEFAULT_MAX_PIXELS,
                StageNetTranslator.builder()
                        .setClasses(Datasets.FASHION_MNIST.classes())
                        .build()
                        .getMaxPixels());
    }

    @Test
    void oneCriteriaLoadsIndependentModels() throws Exception {
        Path folder = save(Architecture.PLAIN, 4, dir.resolve("m"));
        var criteria = SavedModelCriteria.of(folder);
        Image image = noise(28, 28, 4);
        try (ZooModel<Image, Classifications> first = criteria.loadModel();
                ZooModel<Image, Classifications> second = criteria.loadModel();
                Predictor<Image, Classifications> p1 = first.newPredictor();
                Predictor<Image, Classifications> p2 = second.newPredictor()) {
            assertTrue(first.getBlock() != second.getBlock(), "each load builds its own block");
            assertEquals(
                    p1.predict(image).getProbabilities(), p2.predict(image).getProbabilities());
        }
    }

    @Test
    void missingFolderMissingParamsUnknownArchitectureAndCorruptParamsFailClearly()
            throws IOException {
        assertBothFail(dir.resolve("nowhere"), "does not exist");

        Path noParams = save(Architecture.PLAIN, 4, dir.resolve("no-params"));
        Files.delete(noParams.resolve("plain-4-0000.params"));
        assertBothFail(noParams, "has no parameters file plain-4-0000.params");

        Path unknown = save(Architecture.PLAIN, 4, dir.resolve("unknown"));
        Path info = unknown.resolve(SavedModel.INFO_FILE);
        Files.writeString(info, Files.readString(info).replace("\"plain\"", "\"transformer\""));
        assertBothFail(unknown, "Unknown variant 'transformer'");

        Path garbage = save(Architecture.PLAIN, 4, dir.resolve("garbage"));
        byte[] noise = new byte[4096];
        new Random(0).nextBytes(noise);
        Files.write(garbage.resolve("plain-4-0000.params"), noise);
        assertBothFail(garbage, "plain-4-0000.params is not a sound DJL parameters file");

        Path truncated = save(Architecture.PLAIN, 4, dir.resolve("truncated"));
        Path params = truncated.resolve("plain-4-0000.params");
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertBothFail(truncated, "plain-4-0000.params is truncated");

        // Parameters of another net: found by the name they were saved under, before a block is
        // built for them.
        Path other = save(Architecture.PLAIN, 4, dir.resolve("other"));
        Path residual = save(Architecture.RESIDUAL, 4, dir.resolve("residual"));
        Files.copy(
                other.resolve("plain-4-0000.params"),
                residual.resolve("residual-4-0000.params"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertBothFail(residual, "holds plain-4's parameters, not residual-4's");

        // A file that passes the checks but not DJL's loader: a parameter's name damaged, in a
        // folder written before checksums were recorded. DJL's own message, one line.
        Path renamed = withoutChecksum(save(Architecture.PLAIN, 4, dir.resolve("renamed")));
        damageParameterName(renamed.resolve("plain-4-0000.params"));
        assertBothFail(renamed, "is corrupt or does not match plain-4: Unexpected parameter name");
    }

    /**
     * Every failed load closes the model it created, whichever way it loads: DJL's finalizer, which
     * reports a model dropped open ("Model: NAME was not closed explicitly"), finds none.
     */
    @Test
    void failedLoadsCloseTheirModels() throws Exception {
        Path swapped = save(Architecture.RESIDUAL, 4, dir.resolve("swapped"));
        Files.copy(
                save(Architecture.PLAIN, 4, dir.resolve("plain")).resolve("plain-4-0000.params"),
                swapped.resolve("residual-4-0000.params"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path renamed = withoutChecksum(save(Architecture.PLAIN, 4, dir.resolve("renamed")));
        damageParameterName(renamed.resolve("plain-4-0000.params"));
        Path fine = save(Architecture.PLAIN, 4, dir.resolve("fine"));

        String log =
                FinalizerLog.during(
                        () -> {
                            for (Path folder : List.of(swapped, renamed)) {
                                assertThrows(IOException.class, () -> SavedModel.load(folder));
                                assertThrows(
                                        IOException.class,
                                        () -> SavedModelCriteria.loadModel(folder, Invert.AUTO));
                            }
                            // A criteria made while the folder was fine, loaded once it is not:
                            // the loader checks again, and DJL's loader when it loads it.
                            Criteria<Image, Classifications> criteria = SavedModelCriteria.of(fine);
                            Files.copy(
                                    renamed.resolve("plain-4-0000.params"),
                                    fine.resolve("plain-4-0000.params"),
                                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                            assertThrows(IOException.class, criteria::loadModel);
                            withoutChecksum(fine);
                            assertThrows(MalformedModelException.class, criteria::loadModel);
                            // DJL's own loader with the block factory: the check refuses it.
                            assertThrows(
                                    IOException.class,
                                    () ->
                                            Criteria.builder()
                                                    .setTypes(Image.class, Classifications.class)
                                                    .optModelPath(swapped)
                                                    .optArgument(
                                                            SavedModelCriteria.BLOCK_FACTORY,
                                                            new SavedModelBlockFactory())
                                                    .optTranslatorFactory(
                                                            new StageNetTranslatorFactory())
                                                    .build()
                                                    .loadModel());
                        });
        assertFalse(log.contains("was not closed explicitly"), log);
    }

    /** Drops the recorded checksum, as in a folder saved before it was recorded. */
    private static Path withoutChecksum(Path folder) throws IOException {
        Path info = folder.resolve(SavedModel.INFO_FILE);
        Files.writeString(
                info, Files.readString(info).replaceAll(",\\s*\"parametersCrc32c\": \"\\w+\"", ""));
        return folder;
    }

    /** Renames the first BatchNorm's "gamma" to "gammb": same length, so the structure holds. */
    private static void damageParameterName(Path params) throws IOException {
        byte[] bytes = Files.readAllBytes(params);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("gamma");
        assertTrue(at > 0, "a BatchNorm parameter");
        bytes[at + 4] = 'b';
        Files.write(params, bytes);
    }

    private static void assertBothFail(Path folder, String expected) {
        IOException direct = assertThrows(IOException.class, () -> SavedModel.load(folder));
        IOException zoo =
                assertThrows(
                        IOException.class,
                        () -> SavedModelCriteria.loadModel(folder, Invert.AUTO).close());
        for (IOException e : List.of(direct, zoo)) {
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    /** Saves an initialized, untrained model: random weights are enough to compare paths. */
    static Path save(Architecture architecture, int depth, Path folder) throws IOException {
        ModelInfo info = ModelInfo.of(architecture, depth);
        try (Model model = Model.newInstance(info.name())) {
            model.setBlock(architecture.build(depth, info.classes().size()));
            model.getBlock()
                    .initialize(model.getNDManager(), DataType.FLOAT32, StageNet.INPUT_SHAPE);
            SavedModel.save(model, info, folder);
        }
        return folder;
    }

    private static Image noise(int width, int height, long seed) {
        Random random = new Random(seed);
        int[] pixels = new int[width * height];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = 0xFF000000 | random.nextInt(0x1000000);
        }
        return ImageFactory.getInstance().fromPixels(pixels, width, height);
    }
}
