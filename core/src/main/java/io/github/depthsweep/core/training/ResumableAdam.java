package io.github.depthsweep.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DJL's {@link Adam}, step for step the same arithmetic (the engine's fused {@code adamUpdate}),
 * but with state that can be read and replaced: each parameter's first and second moments and
 * update count. DJL's own Adam keeps them private, so a resumed run would restart them at zero and
 * its first steps would jump; {@link TrainingCheckpoint} saves and restores this state.
 *
 * <p>State is kept per parameter id, as DJL passes it to {@link #update}; those ids are new in
 * every run, so {@link TrainingCheckpoint} translates them to the block's stable parameter names.
 * One device per parameter: the moments live where the weight does.
 */
public final class ResumableAdam extends Optimizer {

    private final ParameterTracker learningRateTracker;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, Moments> state = new ConcurrentHashMap<>();

    private ResumableAdam(Builder builder) {
        super(builder);
        learningRateTracker = builder.learningRateTracker;
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
    }

    /**
     * Creates a builder: DJL Adam's defaults (learning rate 0.001, betas 0.9 and 0.999, epsilon
     * 1e-8).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        Moments moments =
                state.computeIfAbsent(
                        parameterId, id -> new Moments(zeros(weight), zeros(weight), 0));
        int t = ++moments.updates;
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float learningRate = learningRateTracker.getNewValue(parameterId, t);
        float biasCorrected = (float) (learningRate * Math.sqrt(coef2) / coef1);
        if (!Float.isFinite(biasCorrected)) {
            throw new IllegalArgumentException(
                    "Adam's learning rate became " + biasCorrected + " at update " + t);
        }
        // The engine updates weight, mean and variance in place and clears the weight's gradient.
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, moments.mean, moments.variance),
                        new NDList(weight),
                        learningRate,
                        biasCorrected,
                        getWeightDecay(),
                        rescaleGrad,
                        clipGrad,
                        beta1,
                        beta2,
                        epsilon,
                        true,
                        false);
    }

    /**
     * Returns a parameter's state, if it has been updated at least once.
     *
     * @param parameterId the parameter's id ({@code Parameter.getId()})
     * @return its moments and update count, or null
     */
    public Moments state(String parameterId) {
        return state.get(parameterId);
    }

    /**
     * Replaces a parameter's state, e.g. with one read from a checkpoint. The arrays become the
     * optimizer's: they are detached from their manager, as DJL's Adam does with its own.
     *
     * @param parameterId the parameter's id ({@code Parameter.getId()})
     * @param moments its moments, on the weight's device, and update count
     */
    public void setState(String parameterId, Moments moments) {
        moments.mean.detach();
        moments.variance.detach();
        Moments old = state.put(parameterId, moments);
        if (old != null) {
            old.mean.close();
            old.variance.close();
        }
    }

    private static NDArray zeros(NDArray weight) {
        NDArray zeros = weight.zerosLike();
        zeros.detach(); // lives as long as the optimizer, not the step's scope
        return zeros;
    }

    /** One parameter's Adam state. */
    public static final class Moments {

        private final NDArray mean;
        private final NDArray variance;
        private int updates;

        /**
         * Creates a parameter's state.
         *
         * @param mean the first moment, shaped as the weight
         * @param variance the second moment, shaped as the weight
         * @param updates the updates applied so far: the next one uses {@code updates + 1}
         */
        public Moments(NDArray mean, NDArray variance, int updates) {
            this.mean = mean;
            this.variance = variance;
            this.updates = updates;
        }

        /**
         * Returns the first moment.
         *
         * @return the running mean of the gradients
         */
        public NDArray mean() {
            return mean;
        }

        /**
         * Returns the second moment.
         *
         * @return the running mean of the squared gradients
         */
        public NDArray variance() {
            return variance;
        }

        /**
         * Returns the number of updates applied so far.
         *
         * @return the update count
         */
        public int updates() {
            return updates;
        }
    }

    /** Builds a {@link ResumableAdam}; the options are those of DJL's {@link Adam.Builder}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRateTracker = Tracker.fixed(0.001f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning rate, or its schedule.
         *
         * @param learningRateTracker the learning rate per update
         * @return this builder
         */
        public Builder optLearningRateTracker(ParameterTracker learningRateTracker) {
            this.learningRateTracker = learningRateTracker;
            return this;
        }

        /**
         * Sets the decay rate of the first moment.
         *
         * @param beta1 the rate, default 0.9
         * @return this builder
         */
        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Sets the decay rate of the second moment.
         *
         * @param beta2 the rate, default 0.999
         * @return this builder
         */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets the term added to the denominator for numerical stability.
         *
         * @param epsilon the term, default 1e-8 (Keras: 1e-7)
         * @return this builder
         */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public ResumableAdam build() {
            return new ResumableAdam(this);
        }
    }
}
