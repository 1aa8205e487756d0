package io.github.depthsweep.core.training;

/**
 * {@code adam}: the Keras tutorial's optimizer, {@link PaperProtocol#adam}: Keras's Adam (epsilon
 * 1e-7) with its legacy decay {@code lr / (1 + decay * step)}, learning rate 1e-4 and decay 1e-6 by
 * default.
 */
public final class AdamRecipe implements OptimizerRecipe {

    /** What {@link #name()} returns; runs that record no optimizer trained with it. */
    public static final String NAME = "adam";

    /** {@inheritDoc} */
    @Override
    public String name() {
        return NAME;
    }

    /** {@inheritDoc} */
    @Override
    public float defaultLearningRate() {
        return PaperProtocol.LEARNING_RATE;
    }

    /** {@inheritDoc} */
    @Override
    public float defaultDecay() {
        return PaperProtocol.DECAY;
    }

    /** {@inheritDoc} */
    @Override
    public String describe(float learningRate, float decay, int totalSteps) {
        return "Adam lr " + learningRate + " decay " + decay;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The decay runs over every step, so the run's length does not change it.
     */
    @Override
    public ResumableOptimizer create(float learningRate, float decay, int totalSteps) {
        return PaperProtocol.adam(learningRate, decay);
    }
}
