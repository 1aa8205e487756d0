/**
 * A run folder and what it holds: {@link io.github.depthsweep.experiments.run.RunFolder} (the
 * settings, one {@link io.github.depthsweep.experiments.run.CellResult} per ended cell, the saved
 * models), and {@link io.github.depthsweep.experiments.run.CellCheckpoints} (the state of
 * unfinished cells, with their {@link io.github.depthsweep.experiments.run.CellProgress}). Every
 * file is written atomically, so a run killed at any moment resumes.
 */
package io.github.depthsweep.experiments.run;
