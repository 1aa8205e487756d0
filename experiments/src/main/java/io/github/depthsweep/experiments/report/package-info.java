/**
 * Results as people read them: {@link io.github.depthsweep.experiments.report.ResultsTable} ({@code
 * results.md} with the seed's numbers beside ours, {@code results.csv}) and {@link
 * io.github.depthsweep.experiments.report.Plots} (accuracy against depth and per epoch, gradient
 * norms).
 */
package io.github.depthsweep.experiments.report;
