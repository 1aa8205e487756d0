package io.github.depthsweep.core.training;

/**
 * {@code he2016}: the SGD He et al. (2016) trained their CIFAR-10 depth study with, {@link
 * ResumableSgd#he2016}: momentum 0.9, weight decay 1e-4, learning rate 0.1 by default, divided by
 * 10 after half and after three quarters of the run's steps. It takes no Keras decay: the steps are
 * its schedule.
 *
 * <p>{@code he2016-warmup} is the same with the warm-up they gave the one net that 0.1 did not
 * start (110 layers): the first {@link ResumableSgd#HE2016_WARMUP_STEPS} steps at a tenth of the
 * rate. Here 0.1 sends residual-32's loss to NaN within 32 steps (docs/results/he2016/RUN.md).
 */
public final class He2016Recipe implements OptimizerRecipe {

    /** The name of the recipe without warm-up. */
    public static final String NAME = "he2016";

    /** The name of the recipe with He et al.'s warm-up. */
    public static final String WARMUP_NAME = "he2016-warmup";

    /**
     * The fewest steps with two distinct drops: after step {@code totalSteps / 2} and after step
     * {@code totalSteps * 3 / 4}.
     */
    static final int MIN_STEPS = 3;

    private final int warmupSteps;

    /**
     * Makes the recipe.
     *
     * @param warmupSteps the steps at a tenth of the rate first: 0 for {@code he2016}, {@link
     *     ResumableSgd#HE2016_WARMUP_STEPS} for {@code he2016-warmup}
     */
    He2016Recipe(int warmupSteps) {
        this.warmupSteps = warmupSteps;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return warmupSteps == 0 ? NAME : WARMUP_NAME;
    }

    /** {@inheritDoc} */
    @Override
    public float defaultLearningRate() {
        return ResumableSgd.HE2016_LEARNING_RATE;
    }

    /**
     * {@inheritDoc}
     *
     * @return 0: the recipe's steps are its schedule
     */
    @Override
    public float defaultDecay() {
        return 0;
    }

    /** {@inheritDoc} */
    @Override
    public String describe(float learningRate, float decay, int totalSteps) {
        String warmup =
                warmupSteps == 0
                        ? ""
                        : String.format(" after %,d steps at %s", warmupSteps, learningRate / 10);
        return String.format(
                "SGD momentum %s lr %s%s, /10 after steps %,d and %,d, weight decay %s",
                ResumableSgd.HE2016_MOMENTUM,
                learningRate,
                warmup,
                ResumableSgd.firstDrop(totalSteps),
                ResumableSgd.secondDrop(totalSteps),
                ResumableSgd.HE2016_WEIGHT_DECAY);
    }

    /** {@inheritDoc} */
    @Override
    public String problem(float learningRate, float decay, int totalSteps) {
        if (decay != 0) {
            return name()
                    + " takes no Keras decay (its rate steps down /10 at 50% and 75% of the"
                    + " steps), got decay "
                    + decay;
        }
        if (totalSteps < MIN_STEPS) {
            return name()
                    + " needs at least "
                    + MIN_STEPS
                    + " steps to drop its rate twice, got "
                    + totalSteps;
        }
        if (warmupSteps >= ResumableSgd.firstDrop(totalSteps)) {
            return String.format(
                    "%s warms up for %,d steps before its first drop at half the run: it needs"
                            + " at least %,d steps, got %,d",
                    name(), warmupSteps, 2 * warmupSteps + 2, totalSteps);
        }
        return null;
    }

    /** {@inheritDoc} */
    @Override
    public ResumableOptimizer create(float learningRate, float decay, int totalSteps) {
        String problem = problem(learningRate, decay, totalSteps);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return ResumableSgd.he2016(learningRate, totalSteps, warmupSteps);
    }
}
