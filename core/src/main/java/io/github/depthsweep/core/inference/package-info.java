/**
 * Using saved models on images: the one place that turns any image into the nets' input ({@link
 * io.github.depthsweep.core.inference.FashionMnistImages}), DJL's {@code Translator} and {@code
 * Criteria} for saved models ({@link io.github.depthsweep.core.inference.SavedModelCriteria}), and
 * the confusion matrix on labelled data.
 *
 * <pre>{@code
 * try (ZooModel<Image, Classifications> model = SavedModelCriteria.of(folder).loadModel();
 *         Predictor<Image, Classifications> predictor = model.newPredictor()) {
 *     Classifications result = predictor.predict(ImageFactory.getInstance().fromFile(png));
 * }
 * }</pre>
 */
package io.github.depthsweep.core.inference;
