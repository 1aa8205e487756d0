/**
 * Results as people read them, each a {@link io.github.depthsweep.experiments.report.Report} that
 * {@link io.github.depthsweep.experiments.report.Reports} runs: {@link
 * io.github.depthsweep.experiments.report.ResultsTable} ({@code results.md} with the seed's numbers
 * beside ours, {@code results.csv}), {@link io.github.depthsweep.experiments.report.SeedStatistics}
 * ({@code seeds.md}: the spread over seeds, prediction and confidence intervals) and {@link
 * io.github.depthsweep.experiments.report.Plots} (accuracy against depth and per epoch, gradient
 * norms). Beside them, for {@code depthsweep keras-report}: {@link
 * io.github.depthsweep.experiments.report.KerasComparison} ({@code comparison.md}: depthsweep
 * against the seed's own Keras code, cell by cell) from {@link
 * io.github.depthsweep.experiments.report.KerasRun}s, the runs of {@code peer_keras.py train}.
 */
package io.github.depthsweep.experiments.report;
