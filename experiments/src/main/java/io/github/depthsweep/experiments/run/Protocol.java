package io.github.depthsweep.experiments.run;

import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.training.AdamRecipe;
import io.github.depthsweep.core.training.OptimizerRecipe;
import io.github.depthsweep.core.training.OptimizerRecipes;
import io.github.depthsweep.core.training.ResumableOptimizer;
import java.util.Optional;

/**
 * The training settings every cell of a sweep shares. Two runs can only share an output folder, or
 * be merged into one table, when their protocols are equal.
 *
 * @param dataset the dataset's registry name; files written before it was recorded read as {@code
 *     fashion-mnist}, so that their runs resume and merge
 * @param epochs epochs per cell
 * @param batchSize images per step
 * @param learningRate the optimizer's initial learning rate
 * @param decay Keras's legacy decay per step (Adam's; 0 for an optimizer with its own schedule)
 * @param trainLimit training images used (the first ones)
 * @param testLimit test images used (the first ones)
 * @param preciseBnBatches training batches for the precise-BN accuracy; 0 to skip it
 * @param optimizer the {@link OptimizerRecipes} name; runs from before it was recorded read back as
 *     {@code adam}, the only one there was
 */
public record Protocol(
        String dataset,
        int epochs,
        int batchSize,
        float learningRate,
        float decay,
        int trainLimit,
        int testLimit,
        int preciseBnBatches,
        String optimizer) {

    /**
     * Creates the settings. Files written before the dataset and the optimizer were recorded have
     * neither: they read as {@code fashion-mnist} and {@code adam}, the only ones there were, so
     * that such a protocol equals today's and its run resumes.
     *
     * @param dataset the dataset's registry name, or null for {@code fashion-mnist}
     * @param epochs epochs per cell
     * @param batchSize images per step
     * @param learningRate the optimizer's initial learning rate
     * @param decay Keras's legacy decay per step (Adam's; 0 for an optimizer with its own schedule)
     * @param trainLimit training images used (the first ones)
     * @param testLimit test images used (the first ones)
     * @param preciseBnBatches training batches for the precise-BN accuracy; 0 to skip it
     * @param optimizer the {@link OptimizerRecipes} name, or null for {@code adam}
     */
    public Protocol {
        if (dataset == null) {
            dataset = Datasets.DEFAULT.name();
        }
        if (optimizer == null) {
            optimizer = AdamRecipe.NAME;
        }
    }

    /**
     * Says what makes these settings impossible, or null if nothing does; a protocol read back from
     * a file may hold anything.
     *
     * @return the reason, e.g. {@code epochs must be at least 1, not 0}, or null
     */
    public String problem() {
        if (epochs < 1 || batchSize < 1 || trainLimit < 1 || testLimit < 1) {
            return "epochs, batch size and image counts must be at least 1";
        }
        if (!(learningRate > 0) || !(decay >= 0) || preciseBnBatches < 0) {
            return "the learning rate must be above 0, decay and precise BN 0 or more";
        }
        Optional<OptimizerRecipe> recipe = OptimizerRecipes.find(optimizer);
        if (recipe.isEmpty()) {
            return "the optimizer '"
                    + optimizer
                    + "' is unknown (known: "
                    + String.join(", ", OptimizerRecipes.names())
                    + ")";
        }
        return recipe.get().problem(learningRate, decay, totalSteps());
    }

    /**
     * Returns the optimiser steps of one epoch.
     *
     * @return {@code ceil(trainLimit / batchSize)}
     */
    public int stepsPerEpoch() {
        return (trainLimit + batchSize - 1) / batchSize;
    }

    /**
     * Returns the optimiser steps of the whole run.
     *
     * @return {@code epochs * stepsPerEpoch()}
     */
    public int totalSteps() {
        return epochs * stepsPerEpoch();
    }

    /**
     * Makes a new optimizer with these settings, for one cell.
     *
     * @return the recipe's optimizer, its schedule set for {@link #totalSteps()}
     * @throws IllegalArgumentException if {@link #problem()} names a reason
     */
    public ResumableOptimizer newOptimizer() {
        return OptimizerRecipes.get(optimizer).create(learningRate, decay, totalSteps());
    }

    /**
     * Describes the settings in words, for logs, tables and error messages.
     *
     * @return e.g. {@code 25 epochs, batch 150, Adam lr 1.0E-4 decay 1.0E-6, first 60,000 training
     *     and 10,000 test images, precise BN over 50 batches}
     */
    public String describe() {
        // Fashion-MNIST goes unnamed, so that logs read as they did before other datasets.
        return (dataset.equals(Datasets.DEFAULT.name()) ? "" : dataset + ", ")
                + String.format(
                        "%d epochs, batch %d, %s, first %,d training and %,d test images, %s",
                        epochs,
                        batchSize,
                        OptimizerRecipes.find(optimizer)
                                .map(r -> r.describe(learningRate, decay, totalSteps()))
                                .orElse("unknown optimizer '" + optimizer + "'"),
                        trainLimit,
                        testLimit,
                        preciseBnBatches == 0
                                ? "no precise BN"
                                : "precise BN over " + preciseBnBatches + " batches");
    }
}
