package io.github.depthsweep.experiments.run;

import io.github.depthsweep.core.model.Architecture;

/**
 * One training run of a sweep: an architecture at a depth with a seed.
 *
 * @param architecture the network
 * @param depth its depth
 * @param seed the random seed: initial weights, shuffling and dropout
 */
public record Cell(Architecture architecture, int depth, int seed) {

    /**
     * Returns the model's name, e.g. {@code residual-50}.
     *
     * @return the name
     */
    public String model() {
        return architecture.modelName(depth);
    }

    /**
     * Returns the cell's id, used for its files: {@code residual-50-seed0}.
     *
     * @return the id
     */
    public String id() {
        return model() + "-seed" + seed;
    }
}
