package io.github.depthsweep.core.zoo;

import ai.djl.Application;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.ModelZoo;
import java.util.Set;

/**
 * depthsweep's trained nets as a DJL model zoo, inside depthsweep-core's jar: group id {@value
 * #GROUP_ID}, one model family {@value #STAGENET} (the Keras tutorial's plain and residual CNNs,
 * trained on Fashion-MNIST by the {@code paper} run), chosen with the filters {@code variant},
 * {@code depth} and {@code seed}. Loading works offline: the files come from the jar ({@link
 * ClassPathRepository}). DJL finds the zoo through {@code META-INF/services} ({@link
 * DepthsweepZooProvider}); where a host's class loaders hide services, register it once with {@code
 * ModelZoo.registerModelZoo(new DepthsweepZooProvider())} or pass {@code optModelZoo(new
 * DepthsweepModelZoo())} to the {@code Criteria}.
 *
 * <pre>{@code
 * Criteria<Image, Classifications> criteria = Criteria.builder()
 *         .setTypes(Image.class, Classifications.class)
 *         .optGroupId(DepthsweepModelZoo.GROUP_ID)
 *         .optArtifactId(DepthsweepModelZoo.STAGENET)
 *         .optFilter("variant", "residual")
 *         .optFilter("depth", "12")
 *         .build();
 * try (ZooModel<Image, Classifications> model = criteria.loadModel();
 *         Predictor<Image, Classifications> predictor = model.newPredictor()) {
 *     Classifications result = predictor.predict(GrayscaleImages.read(png));
 * }
 * }</pre>
 *
 * <p>Where several artifacts match, the first listed wins: the residual net before the plain one.
 * Deeper nets are too large for a jar; load them from a run folder with {@code
 * SavedModelCriteria.of(ModelFolders.resolve(runFolder))}.
 */
public final class DepthsweepModelZoo extends ModelZoo {

    /** The zoo's group id. */
    public static final String GROUP_ID = "io.github.depthsweep";

    /** The artifact id of the Keras tutorial's nets. */
    public static final String STAGENET = "stagenet";

    /** The version of the {@value #STAGENET} artifacts. */
    static final String VERSION = "0.0.2";

    /** Creates the zoo. */
    public DepthsweepModelZoo() {
        // Not a static field: ModelZoo's static initializer creates this zoo through its provider
        // before this class's own static fields would be set.
        Repository repository =
                new ClassPathRepository("depthsweep", "io/github/depthsweep/core/zoo/");
        addModel(
                new StageNetModelLoader(
                        repository.model(
                                Application.CV.IMAGE_CLASSIFICATION, GROUP_ID, STAGENET, VERSION)));
    }

    /**
     * Returns {@value #GROUP_ID}.
     *
     * @return the group id
     */
    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    /**
     * Returns the engine the nets are tested on, PyTorch; they are DJL blocks, so DJL uses another
     * engine only when the {@code Criteria} names it.
     *
     * @return {@code PyTorch}
     */
    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }

    /**
     * Returns the loader of the {@value #STAGENET} family.
     *
     * @return the loader
     */
    public StageNetModelLoader getStageNetLoader() {
        return (StageNetModelLoader) getModelLoader(STAGENET);
    }
}
