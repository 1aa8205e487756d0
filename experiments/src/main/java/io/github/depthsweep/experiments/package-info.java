/**
 * The command line: {@link io.github.depthsweep.experiments.SweepCommand} ({@code depthsweep}, the
 * depth sweep) and its subcommands {@code merge} ({@link
 * io.github.depthsweep.experiments.MergeCommand}), {@code bench}, {@code makespan}, {@code
 * tensorboard} and {@code keras-report} ({@link
 * io.github.depthsweep.experiments.KerasReportCommand}).
 *
 * <p>The parts, one package each: {@code sweep} plans and trains the cells, {@code run} is what a
 * run folder holds (results, models, checkpoints), {@code report} turns results into tables and
 * plots, {@code bench} measures speed, and {@code system} reads the machine and its memory.
 */
package io.github.depthsweep.experiments;
