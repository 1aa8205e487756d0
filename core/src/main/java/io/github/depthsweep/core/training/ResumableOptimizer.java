package io.github.depthsweep.core.training;

/**
 * An optimizer whose state can be read and replaced, so that {@link TrainingCheckpoint} can save it
 * and a resumed run continues exactly: DJL's own optimizers keep theirs private. State is kept per
 * parameter id, as DJL passes it to {@code Optimizer.update}; those ids are new in every run, so
 * {@link TrainingCheckpoint} translates them to the block's stable parameter names.
 *
 * <p>Two implementations: {@link ResumableAdam} and {@link ResumableSgd}. A new optimizer is one
 * class that extends DJL's {@code Optimizer} and implements this; a sweep trains with it once an
 * {@link OptimizerRecipe} makes it and {@link OptimizerRecipes} lists that recipe.
 */
public interface ResumableOptimizer {

    /**
     * Names the kind of state this optimizer keeps, so that a checkpoint of one kind is never
     * restored into another.
     *
     * @return e.g. {@code adam}
     */
    String kind();

    /**
     * Returns a parameter's state, if it has been updated at least once.
     *
     * @param parameterId the parameter's id ({@code Parameter.getId()})
     * @return its state (the optimizer's own arrays, not copies), or null
     */
    OptimizerState state(String parameterId);

    /**
     * Replaces a parameter's state, e.g. with one read from a checkpoint. The arrays become the
     * optimizer's: they are detached from their manager.
     *
     * @param parameterId the parameter's id ({@code Parameter.getId()})
     * @param state its state, on the weight's device, with the arrays this kind names
     * @throws IllegalArgumentException if the state lacks an array this optimizer needs
     */
    void setState(String parameterId, OptimizerState state);
}
