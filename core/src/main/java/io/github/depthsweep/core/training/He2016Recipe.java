package io.github.depthsweep.core.training;

/**
 * {@code he2016}: the SGD He et al. (2016) trained their CIFAR-10 depth study with, {@link
 * ResumableSgd#he2016}: momentum 0.9, weight decay 1e-4, learning rate 0.1 by default, divided by
 * 10 after half and after three quarters of the run's steps. It takes no Keras decay: the steps are
 * its schedule.
 */
public final class He2016Recipe implements OptimizerRecipe {

    /** What {@link #name()} returns. */
    public static final String NAME = "he2016";

    /**
     * The fewest steps with two distinct drops: after step {@code totalSteps / 2} and after step
     * {@code totalSteps * 3 / 4}.
     */
    static final int MIN_STEPS = 3;

    /** {@inheritDoc} */
    @Override
    public String name() {
        return NAME;
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
        return String.format(
                "SGD momentum %s lr %s, /10 after steps %,d and %,d, weight decay %s",
                ResumableSgd.HE2016_MOMENTUM,
                learningRate,
                ResumableSgd.firstDrop(totalSteps),
                ResumableSgd.secondDrop(totalSteps),
                ResumableSgd.HE2016_WEIGHT_DECAY);
    }

    /** {@inheritDoc} */
    @Override
    public String problem(float learningRate, float decay, int totalSteps) {
        if (decay != 0) {
            return NAME
                    + " takes no Keras decay (its rate steps down /10 at 50% and 75% of the"
                    + " steps), got decay "
                    + decay;
        }
        if (totalSteps < MIN_STEPS) {
            return NAME
                    + " needs at least "
                    + MIN_STEPS
                    + " steps to drop its rate twice, got "
                    + totalSteps;
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
        return ResumableSgd.he2016(learningRate, totalSteps);
    }
}
