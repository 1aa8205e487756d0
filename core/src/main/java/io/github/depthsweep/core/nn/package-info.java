/**
 * The Keras tutorial's networks as DJL blocks: {@link io.github.depthsweep.core.nn.StageNet} builds
 * the plain or residual CNN for any depth from the units in {@link
 * io.github.depthsweep.core.nn.KerasBlocks}, with stage sizes from {@link
 * io.github.depthsweep.core.nn.StagePlan}.
 */
package io.github.depthsweep.core.nn;
