/**
 * Planning and training a sweep: {@link io.github.depthsweep.experiments.sweep.SweepPlan} (which
 * cells, in which order, at what cost), {@link io.github.depthsweep.experiments.sweep.CellTrainer}
 * (one cell with the seed's protocol, checkpointed and resumable), and {@link
 * io.github.depthsweep.experiments.sweep.StopSignal} (Ctrl-C and SIGTERM become a clean stop).
 */
package io.github.depthsweep.experiments.sweep;
