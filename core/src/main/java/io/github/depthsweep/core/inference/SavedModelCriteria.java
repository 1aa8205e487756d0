package io.github.depthsweep.core.inference;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads saved models the DJL way: a {@link Criteria} for {@link Image} in and {@link
 * Classifications} out, for any architecture and depth. Its model loader ({@link SavedModelLoader})
 * checks the folder ({@link SavedModel#checkLoadable}) before a model exists, rebuilds the block
 * from the folder's {@value SavedModel#INFO_FILE} and closes the model if loading fails; the
 * translator is made from the info too ({@link StageNetTranslatorFactory}). The trained nets in
 * depthsweep's model zoo load the same way, by group id and filters ({@code
 * io.github.depthsweep.core.zoo}); this class loads any other saved model, such as a run folder's
 * deeper nets.
 *
 * <pre>{@code
 * Criteria<Image, Classifications> criteria = SavedModelCriteria.of(folder);
 * try (ZooModel<Image, Classifications> model = criteria.loadModel();
 *         Predictor<Image, Classifications> predictor = model.newPredictor()) {
 *     // read() checks the pixel limit from the file's header before decoding
 *     Classifications result = predictor.predict(GrayscaleImages.read(png));
 *     System.out.println(result.best().getClassName());
 * }
 * }</pre>
 *
 * <p>The translator refuses images over {@link GrayscaleImages#DEFAULT_MAX_PIXELS} ({@link
 * ImageTooLargeException}, as the cause of DJL's {@code TranslateException}). The criteria can be
 * changed further with {@link Criteria#toBuilder()}, for example to pick a device or another pixel
 * limit ({@link StageNetTranslatorFactory#MAX_PIXELS}).
 */
public final class SavedModelCriteria {

    /** The {@code Criteria} argument DJL's model loaders take a {@code BlockFactory} from. */
    public static final String BLOCK_FACTORY = "blockFactory";

    private SavedModelCriteria() {}

    /**
     * Returns the criteria for a saved model that inverts images with a light border.
     *
     * @param folder the model's folder
     * @return the criteria
     * @throws IOException if the folder is not a loadable model folder; see {@link
     *     SavedModel#checkLoadable}
     */
    public static Criteria<Image, Classifications> of(Path folder) throws IOException {
        return of(folder, Invert.AUTO);
    }

    /**
     * Returns the criteria for a saved model.
     *
     * @param folder the model's folder
     * @param invert when to invert the images' brightness
     * @return the criteria
     * @throws IOException if the folder is not a loadable model folder; see {@link
     *     SavedModel#checkLoadable}
     */
    public static Criteria<Image, Classifications> of(Path folder, Invert invert)
            throws IOException {
        return of(folder, SavedModel.checkLoadable(folder), invert);
    }

    /**
     * Loads a saved model through its {@link #of criteria}, with the same one-line messages as
     * {@link SavedModel#load} when it fails.
     *
     * @param folder the model's folder
     * @param invert when to invert the images' brightness
     * @return the model with its translator; close it when done
     * @throws IOException if anything is missing, unknown or corrupt; the message says what
     */
    public static ZooModel<Image, Classifications> loadModel(Path folder, Invert invert)
            throws IOException {
        ModelInfo info = SavedModel.checkLoadable(folder);
        ZooModel<Image, Classifications> model = null;
        try {
            model = of(folder, info, invert).loadModel();
            SavedModel.checkLoaded(folder, info, model);
            return model;
        } catch (ModelNotFoundException
                | MalformedModelException
                | IOException
                | RuntimeException e) {
            if (model != null) {
                model.close();
            }
            throw SavedModel.corrupt(folder, info, e);
        }
    }

    private static Criteria<Image, Classifications> of(Path folder, ModelInfo info, Invert invert) {
        return Criteria.builder()
                .setTypes(Image.class, Classifications.class)
                .optApplication(Application.CV.IMAGE_CLASSIFICATION)
                .optModelZoo(new SavedModelZoo(folder))
                .optModelName(info.name())
                .optTranslatorFactory(new StageNetTranslatorFactory())
                .optArgument(StageNetTranslatorFactory.INVERT, invert)
                .build();
    }
}
