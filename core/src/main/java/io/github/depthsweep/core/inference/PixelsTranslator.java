package io.github.depthsweep.core.inference;

import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL's {@link Translator} for images already preprocessed by {@link GrayscaleImages#toPixels}: 28
 * x 28 values in, {@link Classifications} out (a softmax over the net's outputs). A batch of N
 * becomes one (N, 1, 28, 28) array and its N results come back from one copy of the (N, classes)
 * probabilities, so {@code Predictor.batchPredict} costs about what the engine's forward pass
 * costs.
 *
 * <p>Use it when images are read and preprocessed one at a time, and only their pixels are kept for
 * the batch, as {@code depthsweep-app predict} does:
 *
 * <pre>{@code
 * try (Predictor<float[], Classifications> predictor =
 *         model.newPredictor(new PixelsTranslator(info.classes()))) {
 *     float[] pixels = GrayscaleImages.toPixels(GrayscaleImages.read(file), Invert.AUTO);
 *     List<Classifications> results = predictor.batchPredict(List.of(pixels));
 * }
 * }</pre>
 */
public final class PixelsTranslator implements Translator<float[], Classifications> {

    private static final int PIXELS = GrayscaleImages.SIZE * GrayscaleImages.SIZE;

    private final List<String> classes;

    /**
     * Creates the translator.
     *
     * @param classes the class names, in the order of the net's outputs
     */
    public PixelsTranslator(List<String> classes) {
        if (classes == null || classes.isEmpty()) {
            throw new IllegalArgumentException("The class names are missing.");
        }
        this.classes = List.copyOf(classes);
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
     * Turns one image's pixels into a (1, 28, 28) input.
     *
     * @param ctx the context, whose manager owns the input
     * @param pixels 28 x 28 values, row by row
     * @return the input
     * @throws IllegalArgumentException if the array does not hold 28 x 28 values
     */
    @Override
    public NDList processInput(TranslatorContext ctx, float[] pixels) {
        checkLength(pixels);
        Shape shape = new Shape(1, GrayscaleImages.SIZE, GrayscaleImages.SIZE);
        return new NDList(ctx.getNDManager().create(pixels, shape));
    }

    /**
     * Turns a batch of images' pixels into one (N, 1, 28, 28) input.
     *
     * @param ctx the context, whose manager owns the input
     * @param inputs N arrays of 28 x 28 values
     * @return the batch
     * @throws IllegalArgumentException if an array does not hold 28 x 28 values
     */
    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<float[]> inputs) {
        float[] batch = new float[inputs.size() * PIXELS];
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(checkLength(inputs.get(i)), 0, batch, i * PIXELS, PIXELS);
        }
        Shape shape = new Shape(inputs.size(), 1, GrayscaleImages.SIZE, GrayscaleImages.SIZE);
        return new NDList(ctx.getNDManager().create(batch, shape));
    }

    private static float[] checkLength(float[] pixels) {
        if (pixels.length != PIXELS) {
            throw new IllegalArgumentException(
                    "Expected 28 x 28 = " + PIXELS + " values, got " + pixels.length + ".");
        }
        return pixels;
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
        return batchProcessOutput(ctx, new NDList(list.singletonOrThrow().expandDims(0))).get(0);
    }

    /**
     * Turns a batch's logits into class probabilities, one copy from the engine for the batch.
     *
     * @param ctx the context
     * @param list the logits, (N, classes)
     * @return N results, every class with its probability
     */
    @Override
    public List<Classifications> batchProcessOutput(TranslatorContext ctx, NDList list) {
        // The nets end in a Dense layer: the Keras tutorial's softmax is applied here, not in the
        // block.
        NDArray logits = list.singletonOrThrow();
        float[] probabilities = logits.softmax(-1).toFloatArray();
        int n = classes.size();
        int images = probabilities.length / n;
        List<Classifications> results = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            List<Double> row = new ArrayList<>(n);
            for (int c = 0; c < n; c++) {
                row.add((double) probabilities[i * n + c]);
            }
            Classifications result = new Classifications(classes, row);
            result.setTopK(n);
            results.add(result);
        }
        return results;
    }
}
