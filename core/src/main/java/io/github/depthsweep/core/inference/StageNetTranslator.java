package io.github.depthsweep.core.inference;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL's {@link Translator} from any {@link Image} to {@link Classifications} for depthsweep's nets:
 * each image goes through {@link GrayscaleImages#toPixels}, the logits the nets output through a
 * softmax. A batch becomes one (N, 1, 28, 28) array and its results come back in one copy ({@link
 * PixelsTranslator}), so {@code Predictor.batchPredict} runs at about the engine's own speed.
 *
 * <p>An image with more pixels than the limit ({@link Builder#optMaxPixels}, by default {@link
 * GrayscaleImages#DEFAULT_MAX_PIXELS}) is refused before it is preprocessed: the predictor throws a
 * {@code TranslateException} whose cause is an {@link ImageTooLargeException}. The image is already
 * decoded by then; read files with {@link GrayscaleImages#read(java.nio.file.Path, long)}, which
 * checks the size before decoding, to refuse image bombs before they take memory.
 *
 * <pre>{@code
 * Translator<Image, Classifications> translator = StageNetTranslator.builder()
 *         .setClasses(info.classes())
 *         .optInvert(Invert.NO)
 *         .build();
 * }</pre>
 */
public final class StageNetTranslator implements Translator<Image, Classifications> {

    private final PixelsTranslator pixels;
    private final Invert invert;
    private final long maxPixels;

    private StageNetTranslator(Builder builder) {
        this.pixels = new PixelsTranslator(builder.classes);
        this.invert = builder.invert;
        this.maxPixels = builder.maxPixels;
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
     * @throws ImageTooLargeException if the image has more pixels than the limit
     * @throws IOException if the image has no pixels
     */
    @Override
    public NDList processInput(TranslatorContext ctx, Image input) throws IOException {
        return pixels.processInput(ctx, preprocess(input));
    }

    /**
     * Turns a batch of images into one (N, 1, 28, 28) input.
     *
     * @param ctx the context, whose manager owns the input
     * @param inputs the images
     * @return the batch
     * @throws ImageTooLargeException if an image has more pixels than the limit
     * @throws IOException if an image has no pixels
     */
    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<Image> inputs) throws IOException {
        List<float[]> batch = new ArrayList<>(inputs.size());
        for (Image image : inputs) {
            batch.add(preprocess(image));
        }
        return pixels.batchProcessInput(ctx, batch);
    }

    private float[] preprocess(Image image) throws IOException {
        GrayscaleImages.checkSize(null, image.getWidth(), image.getHeight(), maxPixels);
        return GrayscaleImages.toPixels(image, invert);
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
        return pixels.processOutput(ctx, list);
    }

    /**
     * Turns a batch's logits into class probabilities.
     *
     * @param ctx the context
     * @param list the logits, (N, classes)
     * @return N results, every class with its probability
     */
    @Override
    public List<Classifications> batchProcessOutput(TranslatorContext ctx, NDList list) {
        return pixels.batchProcessOutput(ctx, list);
    }

    /**
     * Returns the class names, in the order of the net's outputs.
     *
     * @return the class names
     */
    public List<String> getClasses() {
        return pixels.getClasses();
    }

    /**
     * Returns the inversion rule.
     *
     * @return the rule
     */
    public Invert getInvert() {
        return invert;
    }

    /**
     * Returns the pixel limit.
     *
     * @return the most pixels an image may have
     */
    public long getMaxPixels() {
        return maxPixels;
    }

    /** A builder for a {@link StageNetTranslator}. */
    public static final class Builder {

        private List<String> classes;
        private Invert invert = Invert.AUTO;
        private long maxPixels = GrayscaleImages.DEFAULT_MAX_PIXELS;

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
         * Sets the most pixels an image may have; the default is {@link
         * GrayscaleImages#DEFAULT_MAX_PIXELS}.
         *
         * @param maxPixels the limit, at least 1
         * @return this builder
         * @throws IllegalArgumentException if the limit is below 1
         */
        public Builder optMaxPixels(long maxPixels) {
            if (maxPixels < 1) {
                throw new IllegalArgumentException("The pixel limit must be at least 1.");
            }
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * Builds the translator.
         *
         * @return the translator
         * @throws IllegalStateException if the class names were not set
         */
        public StageNetTranslator build() {
            if (classes == null || classes.isEmpty()) {
                throw new IllegalStateException("Set the class names (setClasses) before build().");
            }
            return new StageNetTranslator(this);
        }
    }
}
