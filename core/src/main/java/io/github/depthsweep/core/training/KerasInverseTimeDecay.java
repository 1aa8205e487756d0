package io.github.depthsweep.core.training;

import ai.djl.training.tracker.Tracker;

/**
 * Keras's legacy {@code decay} argument of its optimizers: {@code lr_t = lr / (1 + decay * t)},
 * with {@code t} the number of optimiser steps taken before this one.
 */
public final class KerasInverseTimeDecay implements Tracker {

    private final float learningRate;
    private final float decay;

    /**
     * Creates the schedule.
     *
     * @param learningRate the initial learning rate, above 0
     * @param decay the decay per step, 0 or more
     */
    public KerasInverseTimeDecay(float learningRate, float decay) {
        if (!(learningRate > 0) || !(decay >= 0)) {
            throw new IllegalArgumentException(
                    "Need learning rate > 0 and decay >= 0, got " + learningRate + " and " + decay);
        }
        this.learningRate = learningRate;
        this.decay = decay;
    }

    /**
     * Returns the learning rate for an update.
     *
     * @param numUpdate DJL's update count, which starts at 1 for the first step
     * @return {@code lr / (1 + decay * (numUpdate - 1))}
     */
    @Override
    public float getNewValue(int numUpdate) {
        return learningRate / (1f + decay * (numUpdate - 1));
    }
}
