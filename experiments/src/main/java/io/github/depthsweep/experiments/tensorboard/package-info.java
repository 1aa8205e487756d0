/**
 * TensorBoard's view of a sweep: one run per cell in {@code RUN/tensorboard/CELL/}, written live by
 * the trainer from the cell's record ({@link
 * io.github.depthsweep.experiments.tensorboard.CellEvents}), and the sweep's plots as images
 * ({@link io.github.depthsweep.experiments.tensorboard.RunEvents}). The same code writes them again
 * from finished cells' records: {@code depthsweep tensorboard}.
 */
package io.github.depthsweep.experiments.tensorboard;
