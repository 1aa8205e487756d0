package io.github.depthsweep.core.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.dataset.Dataset.Usage;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.inference.ConfusionMatrix;
import io.github.depthsweep.core.inference.Invert;
import io.github.depthsweep.core.inference.StageNetTranslator;
import io.github.depthsweep.core.model.InvalidModelException;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trained nets load the way DJL's own zoos serve theirs: {@code Criteria} with a group id, an
 * artifact id and filters, offline, from the jar; the net that loads is the trained one.
 */
class DepthsweepModelZooTest {

    private static final String CACHE = "DJL_CACHE_DIR";

    private static Criteria.Builder<Image, Classifications> stageNet() {
        return Criteria.builder()
                .setTypes(Image.class, Classifications.class)
                .optGroupId(DepthsweepModelZoo.GROUP_ID)
                .optArtifactId(DepthsweepModelZoo.STAGENET);
    }

    /** Both trained nets of the zoo, so that a user can compare them on their own images. */
    @ParameterizedTest
    @ValueSource(strings = {"residual", "plain"})
    void criteriaWithDjlsKeysLoadEachTrained12LayerNet(String variant) throws Exception {
        Criteria<Image, Classifications> criteria =
                stageNet()
                        .optApplication(Application.CV.IMAGE_CLASSIFICATION)
                        .optFilter("variant", variant)
                        .optFilter("depth", "12")
                        .optFilter("seed", "0")
                        .build();
        try (ZooModel<Image, Classifications> model = criteria.loadModel();
                Predictor<Image, Classifications> predictor = model.newPredictor();
                IdxDataset test =
                        IdxDataset.builder()
                                .optUsage(Usage.TEST)
                                .optLimit(1000)
                                .setSampling(100, false)
                                .build()) {
            ModelInfo info = SavedModel.readInfo(model.getModelPath());
            assertEquals(variant + "-12", info.name());
            assertEquals(25, info.epochs());

            test.prepare();
            ConfusionMatrix matrix =
                    ConfusionMatrix.measure(
                            model.getBlock(), test.getData(model.getNDManager()), info.classes());
            assertEquals(1000, matrix.total());
            assertTrue(matrix.accuracy() > 0.85, "accuracy " + matrix.accuracy());

            // The translator comes from the zoo's factory: the saved classes, any image size.
            Image gray = ImageFactory.getInstance().fromPixels(new int[40 * 30], 40, 30);
            Classifications result = predictor.predict(gray);
            assertEquals(Datasets.FASHION_MNIST.classes(), result.getClassNames());
        }
    }

    @Test
    void withoutFiltersTheFirstArtifactLoads() throws Exception {
        try (ZooModel<Image, Classifications> model = stageNet().build().loadModel()) {
            assertEquals("residual-12", SavedModel.readInfo(model.getModelPath()).name());
        }
    }

    @Test
    void argumentsReachTheTranslator() throws Exception {
        try (ZooModel<Image, Classifications> model =
                stageNet()
                        .optArgument("invert", "no")
                        .optArgument("maxPixels", 100)
                        .build()
                        .loadModel()) {
            StageNetTranslator translator = (StageNetTranslator) model.getTranslator();
            assertEquals(Invert.NO, translator.getInvert());
            assertEquals(100, translator.getMaxPixels());
        }
    }

    @Test
    void aFilterNoArtifactMatchesFindsNoModel() throws IOException {
        Criteria<Image, Classifications> criteria = stageNet().optFilter("depth", "50").build();
        assertThrows(ModelNotFoundException.class, criteria::loadModel);

        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                new DepthsweepModelZoo()
                                        .getStageNetLoader()
                                        .folder(Map.of("depth", "50")));
        assertTrue(e.getMessage().contains("residual-12"), e.getMessage());
    }

    @Test
    void theZooIsFoundThroughServicesAndCanBeRegistered() {
        assertTrue(ModelZoo.hasModelZoo(DepthsweepModelZoo.GROUP_ID), "META-INF/services");
        ModelZoo.registerModelZoo(new DepthsweepZooProvider());
        Map<Application, List<MRL>> models =
                ModelZoo.listModels(stageNet().optGroupId(DepthsweepModelZoo.GROUP_ID).build());
        List<MRL> classifiers = models.get(Application.CV.IMAGE_CLASSIFICATION);
        assertTrue(
                classifiers.stream()
                        .anyMatch(mrl -> DepthsweepModelZoo.STAGENET.equals(mrl.getArtifactId())),
                models.toString());
    }

    /**
     * An artifact in DJL's cache is a model folder like any other: damaged there after DJL copied
     * it (and checked its SHA-1), it is refused by the same check, before a model is created.
     */
    @Test
    void aDamagedArtifactInDjlsCacheIsRefusedBeforeItLoads(@TempDir Path cache) throws Exception {
        Engine.getInstance(); // its natives stay where they are
        String before = System.getProperty(CACHE);
        System.setProperty(CACHE, cache.toString());
        try {
            Path folder =
                    new DepthsweepModelZoo()
                            .getStageNetLoader()
                            .folder(Map.of("variant", "plain", "depth", "12"));
            assertTrue(folder.startsWith(cache), folder.toString());
            Path params = folder.resolve("plain-12-0000.params");
            byte[] bytes = Files.readAllBytes(params);
            bytes[bytes.length / 2] ^= 1;
            Files.write(params, bytes);

            Criteria<Image, Classifications> criteria =
                    stageNet().optFilter("variant", "plain").optFilter("depth", "12").build();
            InvalidModelException e =
                    assertThrows(InvalidModelException.class, criteria::loadModel);
            assertTrue(e.getMessage().contains("plain-12-0000.params is damaged"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(CACHE);
            } else {
                System.setProperty(CACHE, before);
            }
        }
    }

    @Test
    void theFolderIsASavedModelFolder() throws IOException {
        Path folder =
                new DepthsweepModelZoo()
                        .getStageNetLoader()
                        .folder(Map.of("variant", "residual", "depth", "12"));
        assertEquals(0L, SavedModel.checkLoadable(folder).seed());
    }
}
