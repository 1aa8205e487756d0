/**
 * Using saved models on images: the one place that reads image files safely and turns any image
 * into the nets' input ({@link io.github.depthsweep.core.inference.GrayscaleImages}: a pixel limit
 * checked from the header before decoding, {@link
 * io.github.depthsweep.core.inference.ImageTooLargeException}), DJL's {@code Translator}s ({@link
 * io.github.depthsweep.core.inference.StageNetTranslator} for images, {@link
 * io.github.depthsweep.core.inference.PixelsTranslator} for preprocessed pixels) and {@code
 * Criteria} for saved models ({@link io.github.depthsweep.core.inference.SavedModelCriteria}), a
 * {@code Predictor} that frees each layer's arrays as it goes ({@link
 * io.github.depthsweep.core.inference.FreeingPredictor}), and the confusion matrix on labelled
 * data.
 *
 * <pre>{@code
 * try (ZooModel<Image, Classifications> model = SavedModelCriteria.of(folder).loadModel();
 *         Predictor<Image, Classifications> predictor = model.newPredictor()) {
 *     Classifications result = predictor.predict(GrayscaleImages.read(png));
 * }
 * }</pre>
 */
package io.github.depthsweep.core.inference;
