/**
 * Training the Keras tutorial's way: {@link io.github.depthsweep.core.training.PaperProtocol} (Adam
 * with Keras's legacy decay, the loss, batch size and epochs), {@link
 * io.github.depthsweep.core.training.PreciseBatchNorm} for honest inference-mode accuracy early in
 * training, and exact resumption: {@link io.github.depthsweep.core.training.ResumableAdam} (DJL's
 * Adam with state that can be saved) and {@link
 * io.github.depthsweep.core.training.TrainingCheckpoint} (a network's and its optimizer's whole
 * training state in one file, written atomically and checked before it is restored). {@link
 * io.github.depthsweep.core.training.OptimizerRecipes} names every optimizer a run can train with
 * ({@code adam}, the Keras tutorial's; {@code he2016}, He et al.'s SGD with its step schedule).
 */
package io.github.depthsweep.core.training;
