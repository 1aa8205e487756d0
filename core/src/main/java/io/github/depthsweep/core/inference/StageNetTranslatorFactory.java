package io.github.depthsweep.core.inference;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.translate.ArgumentsUtil;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * DJL's {@link TranslatorFactory} for depthsweep's saved models: a {@link StageNetTranslator} whose
 * class names come from the loaded model's {@value SavedModel#INFO_FILE}. Both ways of loading a
 * trained net use it: the model zoo ({@code io.github.depthsweep.core.zoo}) and {@link
 * SavedModelCriteria}.
 *
 * <p>Two {@code Criteria} arguments change the translator: {@value #INVERT} ({@code auto}, {@code
 * yes} or {@code no}, as {@link Invert}; default {@code auto}) and {@value #MAX_PIXELS} (see {@link
 * StageNetTranslator.Builder#optMaxPixels}).
 *
 * <pre>{@code
 * Criteria.builder()
 *         .setTypes(Image.class, Classifications.class)
 *         .optArgument("invert", "no")
 *         ...
 * }</pre>
 */
public final class StageNetTranslatorFactory implements TranslatorFactory {

    /** The {@code Criteria} argument that says when to invert images, as {@link Invert}. */
    public static final String INVERT = "invert";

    /** The {@code Criteria} argument that sets the pixel limit. */
    public static final String MAX_PIXELS = "maxPixels";

    /** Creates the factory. */
    public StageNetTranslatorFactory() {}

    /**
     * Returns the one pair it translates: {@link Image} to {@link Classifications}.
     *
     * @return the supported input and output types
     */
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(Image.class, Classifications.class));
    }

    /**
     * Creates the translator for a loaded saved model.
     *
     * @param input {@link Image}
     * @param output {@link Classifications}
     * @param model the loaded model; its folder holds {@value SavedModel#INFO_FILE}
     * @param arguments the {@code Criteria} arguments, {@value #INVERT} and {@value #MAX_PIXELS}
     *     among them
     * @return the translator
     * @throws TranslateException if the model's folder has no readable info
     * @throws IllegalArgumentException if the types are not supported or an argument is invalid
     */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException(
                    "depthsweep's models translate Image to Classifications, not "
                            + input.getSimpleName()
                            + " to "
                            + output.getSimpleName()
                            + ".");
        }
        ModelInfo info;
        try {
            info = SavedModel.readInfo(model.getModelPath());
        } catch (IOException e) {
            throw new TranslateException(e.getMessage(), e);
        }
        return (Translator<I, O>)
                StageNetTranslator.builder()
                        .setClasses(info.classes())
                        .optInvert(invert(arguments.get(INVERT)))
                        .optMaxPixels(
                                ArgumentsUtil.longValue(
                                        arguments, MAX_PIXELS, GrayscaleImages.DEFAULT_MAX_PIXELS))
                        .build();
    }

    private static Invert invert(Object value) {
        if (value == null) {
            return Invert.AUTO;
        }
        if (value instanceof Invert) {
            return (Invert) value;
        }
        try {
            return Invert.valueOf(value.toString().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "The argument " + INVERT + " must be auto, yes or no, got " + value + ".", e);
        }
    }
}
