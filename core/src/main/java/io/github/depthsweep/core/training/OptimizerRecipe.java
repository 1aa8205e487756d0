package io.github.depthsweep.core.training;

/**
 * An optimizer with its learning-rate schedule, under a name a run can record and a command line
 * can take: what {@link OptimizerRecipes} holds. Every recipe makes a {@link ResumableOptimizer},
 * so any run trained with one can be checkpointed and resumed exactly.
 */
public interface OptimizerRecipe {

    /**
     * Returns the name runs record and {@link OptimizerRecipes#get} takes.
     *
     * @return e.g. {@code adam}
     */
    String name();

    /**
     * Returns the initial learning rate the recipe was published with.
     *
     * @return e.g. {@code 1e-4}
     */
    float defaultLearningRate();

    /**
     * Returns Keras's legacy decay per step ({@code lr / (1 + decay * step)}) the recipe uses by
     * default; 0 for a recipe with a schedule of its own, which takes no other ({@link #problem}).
     *
     * @return the decay, 0 or more
     */
    float defaultDecay();

    /**
     * Describes the optimizer of a run in words, for logs and tables.
     *
     * @param learningRate the initial learning rate
     * @param decay Keras's legacy decay per step
     * @param totalSteps the steps of the whole run
     * @return e.g. {@code Adam lr 1.0E-4 decay 1.0E-6}
     */
    String describe(float learningRate, float decay, int totalSteps);

    /**
     * Says why the recipe cannot train with these settings, or null if it can. The caller has
     * checked that the learning rate is above 0, the decay 0 or more and the steps at least 1.
     *
     * @param learningRate the initial learning rate
     * @param decay Keras's legacy decay per step
     * @param totalSteps the steps of the whole run
     * @return the reason, one line, or null
     */
    default String problem(float learningRate, float decay, int totalSteps) {
        return null;
    }

    /**
     * Makes a new optimizer for one run, its schedule set for the run's length.
     *
     * @param learningRate the initial learning rate
     * @param decay Keras's legacy decay per step
     * @param totalSteps the steps of the whole run
     * @return the optimizer, for {@code DefaultTrainingConfig.optOptimizer} and for checkpoints
     * @throws IllegalArgumentException if {@link #problem} names a reason
     */
    ResumableOptimizer create(float learningRate, float decay, int totalSteps);
}
