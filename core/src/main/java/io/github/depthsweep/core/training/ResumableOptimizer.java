package io.github.depthsweep.core.training;

import ai.djl.training.optimizer.Optimizer;

/**
 * An optimizer whose state can be read and replaced, so that {@link TrainingCheckpoint} can save it
 * and a resumed run continues exactly: DJL's own optimizers keep theirs private. State is kept per
 * parameter id, as DJL passes it to {@code Optimizer.update}; those ids are new in every run, so
 * {@link TrainingCheckpoint} translates them to the block's stable parameter names.
 *
 * <p>It is DJL's {@link Optimizer} itself, so one object goes both to {@code
 * DefaultTrainingConfig.optOptimizer} and to {@link TrainingCheckpoint}. Two implementations:
 * {@link ResumableAdam} and {@link ResumableSgd}. A new optimizer is one class that extends this; a
 * sweep trains with it once an {@link OptimizerRecipe} makes it and {@link OptimizerRecipes} lists
 * that recipe.
 */
public abstract class ResumableOptimizer extends Optimizer {

    /**
     * Creates an optimizer with the builder's settings, as DJL's optimizers are made.
     *
     * @param builder weight decay, gradient clipping and rescaling, as DJL's builders hold them
     */
    protected ResumableOptimizer(OptimizerBuilder<?> builder) {
        super(builder);
    }

    /**
     * Names the kind of state this optimizer keeps, so that a checkpoint of one kind is never
     * restored into another.
     *
     * @return e.g. {@code adam}
     */
    public abstract String kind();

    /**
     * Returns the learning rate of an update, as the optimizer's schedule gives it: for charts of a
     * run, and for records written after it.
     *
     * @param update the update's number, from 1
     * @return the learning rate
     */
    public abstract float learningRate(int update);

    /**
     * Returns a parameter's state, if it has been updated at least once.
     *
     * @param parameterId the parameter's id ({@code Parameter.getId()})
     * @return its state (the optimizer's own arrays, not copies), or null
     */
    public abstract OptimizerState state(String parameterId);

    /**
     * Replaces a parameter's state, e.g. with one read from a checkpoint. The arrays become the
     * optimizer's: they are detached from their manager.
     *
     * @param parameterId the parameter's id ({@code Parameter.getId()})
     * @param state its state, on the weight's device, with the arrays this kind names
     * @throws IllegalArgumentException if the state lacks an array this optimizer needs
     */
    public abstract void setState(String parameterId, OptimizerState state);
}
