/**
 * {@code depthsweep bench}: {@link io.github.depthsweep.experiments.bench.BenchCommand} times each
 * model ({@code ModelBench}) and, where asked, the PyTorch peer ({@code PeerBench}), PyTorch's
 * profile of a step ({@code ProfileSummary}, {@code OpProfile}) and a checkpoint's cost ({@code
 * CheckpointCost}).
 */
package io.github.depthsweep.experiments.bench;
