package io.github.depthsweep.experiments;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;

/**
 * Interrupts training at a chosen step of this process, as a crash would there: the step's update
 * is not applied and nothing more is saved. Keras tests its {@code BackupAndRestore} the same way,
 * with a callback that raises at a chosen batch, instead of killing a process at a moment read from
 * its log.
 */
final class InterruptAt extends TrainingListenerAdapter {

    private final int step;
    private int steps;

    /**
     * Interrupts at a step.
     *
     * @param step the step of this process to interrupt, from 1
     */
    InterruptAt(int step) {
        this.step = step;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (++steps == step) {
            throw new Interrupted(step);
        }
    }

    /** What an interrupted sweep fails with. */
    static final class Interrupted extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Interrupted(int step) {
            super("interrupted by the test at step " + step + " of this process");
        }
    }
}
