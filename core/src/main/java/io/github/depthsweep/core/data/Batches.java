package io.github.depthsweep.core.data;

import ai.djl.training.dataset.Batch;
import java.util.Iterator;
import java.util.function.Consumer;

/** Batches as a training or evaluation loop goes through them. */
public final class Batches {

    private Batches() {}

    /**
     * Returns the same batches, telling an action about each one as it is handed out: a progress
     * bar, or a heartbeat that says the loop is still moving.
     *
     * @param batches the batches, e.g. {@code trainer.iterateDataset(data)}
     * @param action what to do with each batch before the loop gets it
     * @return the batches, in the same order
     */
    public static Iterable<Batch> onEach(Iterable<Batch> batches, Consumer<Batch> action) {
        return () -> {
            Iterator<Batch> iterator = batches.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return iterator.hasNext();
                }

                @Override
                public Batch next() {
                    Batch batch = iterator.next();
                    action.accept(batch);
                    return batch;
                }
            };
        };
    }
}
