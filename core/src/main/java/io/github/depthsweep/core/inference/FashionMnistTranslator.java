package io.github.depthsweep.core.inference;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * DJL's {@link Translator} from any {@link Image} to {@link Classifications} for depthsweep's nets:
 * the input goes through {@link FashionMnistImages#toInput}, the logits the nets output through a
 * softmax. Batches stack, so {@code Predictor.batchPredict} works too.
 *
 * <pre>{@code
 * Translator<Image, Classifications> translator = FashionMnistTranslator.builder()
 *         .setClasses(info.classes())
 *         .optInvert(Invert.NO)
 *         .build();
 * }</pre>
 */
public final class FashionMnistTranslator implements Translator<Image, Classifications> {

    private final List<String> classes;
    private final Invert invert;

    private FashionMnistTranslator(Builder builder) {
        this.classes = builder.classes;
        this.invert = builder.invert;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Turns an image into one (1, 28, 28) input.
     *
     * @param ctx the context, whose manager owns the input
     * @param input the image
     * @return the input
     */
    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(FashionMnistImages.toInput(input, ctx.getNDManager(), invert));
    }

    /**
     * Turns one image's logits into class probabilities.
     *
     * @param ctx the context
     * @param list the logits, one value per class
     * @return every class with its probability; {@code topK()} lists the best first
     */
    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        // The nets end in a Dense layer: the seed's softmax is applied here, not in the block.
        return new Classifications(classes, list.singletonOrThrow().softmax(-1), classes.size());
    }

    /**
     * Returns the class names, in the order of the net's outputs.
     *
     * @return the class names
     */
    public List<String> getClasses() {
        return classes;
    }

    /**
     * Returns the inversion rule.
     *
     * @return the rule
     */
    public Invert getInvert() {
        return invert;
    }

    /** A builder for a {@link FashionMnistTranslator}. */
    public static final class Builder {

        private List<String> classes;
        private Invert invert = Invert.AUTO;

        Builder() {}

        /**
         * Sets the class names, in the order of the net's outputs: a saved model's {@code
         * ModelInfo.classes()}.
         *
         * @param classes the class names
         * @return this builder
         */
        public Builder setClasses(List<String> classes) {
            this.classes = List.copyOf(classes);
            return this;
        }

        /**
         * Sets when to invert brightness; the default is {@link Invert#AUTO}.
         *
         * @param invert the rule
         * @return this builder
         */
        public Builder optInvert(Invert invert) {
            this.invert = invert;
            return this;
        }

        /**
         * Builds the translator.
         *
         * @return the translator
         * @throws IllegalStateException if the class names were not set
         */
        public FashionMnistTranslator build() {
            if (classes == null || classes.isEmpty()) {
                throw new IllegalStateException("Set the class names (setClasses) before build().");
            }
            return new FashionMnistTranslator(this);
        }
    }
}
