/**
 * The {@code depthsweep-app} command line: classify images with a saved model ({@link
 * io.github.depthsweep.app.PredictCommand}), evaluate it on the Fashion-MNIST test set ({@link
 * io.github.depthsweep.app.EvaluateCommand}) and time it ({@link
 * io.github.depthsweep.app.BenchCommand}). The models, the image preprocessing and DJL's {@code
 * Criteria} come from {@code depthsweep-core}; this package is only the command line around them.
 */
package io.github.depthsweep.app;
