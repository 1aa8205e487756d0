/**
 * The seed's networks as DJL blocks: {@link io.github.depthsweep.core.nn.SeedNet} builds the plain
 * or residual CNN for any depth from the units in {@link io.github.depthsweep.core.nn.SeedBlocks},
 * with stage sizes from {@link io.github.depthsweep.core.nn.StagePlan}.
 */
package io.github.depthsweep.core.nn;
