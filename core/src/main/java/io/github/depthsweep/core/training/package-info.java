/**
 * Training the seed's way: {@link io.github.depthsweep.core.training.SeedProtocol} (Adam with
 * Keras's legacy decay, the loss, batch size and epochs), and {@link
 * io.github.depthsweep.core.training.PreciseBatchNorm} for honest inference-mode accuracy early in
 * training.
 */
package io.github.depthsweep.core.training;
