/**
 * The depth sweep: {@link io.github.depthsweep.experiments.SweepCommand} trains every cell
 * (variant, depth, seed) with the seed's protocol, records it atomically in a {@link
 * io.github.depthsweep.experiments.RunFolder}, and writes tables and plots.
 */
package io.github.depthsweep.experiments;
