/**
 * {@code depthsweep bench}: {@link io.github.depthsweep.experiments.bench.BenchCommand} times each
 * model ({@code ModelBench}) and, where asked, peers in Keras and PyTorch ({@code Peers}, {@code
 * PeerBench}, {@code PeerRounds}), PyTorch's profile of a step ({@code ProfileSummary}, {@code
 * OpProfile}) and a checkpoint's cost ({@code CheckpointCost}). {@link
 * io.github.depthsweep.experiments.bench.SpeedProbe} times a few steps for a sweep's estimates
 * before it trains.
 */
package io.github.depthsweep.experiments.bench;
