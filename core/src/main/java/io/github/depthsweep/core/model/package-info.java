/**
 * The saved-model format that {@code experiments} writes and {@code app} reads: {@link
 * io.github.depthsweep.core.model.SavedModel} with its {@link
 * io.github.depthsweep.core.model.ModelInfo}, for any {@link
 * io.github.depthsweep.core.model.Architecture}.
 */
package io.github.depthsweep.core.model;
