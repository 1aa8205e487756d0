package io.github.depthsweep.experiments.sweep;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.github.depthsweep.experiments.system.NativeAllocator;

/**
 * Hands freed native memory back to the system every {@link #EVERY} steps and after every epoch.
 * Under glibc's malloc the heap otherwise keeps growing (docs/results/speed.md, "Memory across
 * epochs"); a release costs one step's page faults. Under tcmalloc it does nothing.
 */
final class MemoryRelease extends TrainingListenerAdapter {

    /** Steps between two releases. */
    static final int EVERY = 50;

    private long steps;

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (++steps % EVERY == 0) {
            NativeAllocator.current().releaseFreeMemory();
        }
    }

    @Override
    public void onEpoch(Trainer trainer) {
        NativeAllocator.current().releaseFreeMemory(); // before the epoch's memory is read
    }
}
