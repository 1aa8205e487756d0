package io.github.depthsweep.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DJL's {@link Adam}, step for step the same arithmetic (the engine's fused {@code adamUpdate}),
 * but with state that can be read and replaced: each parameter's first and second moments and
 * update count. DJL's own Adam keeps them private, so a resumed run would restart them at zero and
 * its first steps would jump; {@link TrainingCheckpoint} saves and restores this state.
 *
 * <p>One device per parameter: the moments live where the weight does.
 */
public final class ResumableAdam extends ResumableOptimizer {

    /** What {@link #kind()} returns; checkpoints of format 1 hold this kind. */
    public static final String KIND = "adam";

    private static final String MEAN = "mean";
    private static final String VARIANCE = "variance";

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

    /** {@inheritDoc} */
    @Override
    public float learningRate(int update) {
        return learningRateTracker.getNewValue("", update);
    }

    /** {@inheritDoc} */
    @Override
    public String kind() {
        return KIND;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Adam's arrays are {@code mean} and {@code variance}, the first and second moments.
     */
    @Override
    public OptimizerState state(String parameterId) {
        Moments moments = state.get(parameterId);
        if (moments == null) {
            return null;
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.put(MEAN, moments.mean);
        arrays.put(VARIANCE, moments.variance);
        return new OptimizerState(moments.updates, arrays);
    }

    /** {@inheritDoc} */
    @Override
    public void setState(String parameterId, OptimizerState saved) {
        NDArray mean = saved.arrays().get(MEAN);
        NDArray variance = saved.arrays().get(VARIANCE);
        if (mean == null || variance == null) {
            throw new IllegalArgumentException(
                    "Adam's state needs mean and variance, got " + saved.arrays().keySet());
        }
        mean.detach();
        variance.detach();
        Moments old = state.put(parameterId, new Moments(mean, variance, saved.updates()));
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

    /** One parameter's Adam state: the moments and the updates so far. */
    private static final class Moments {

        private final NDArray mean;
        private final NDArray variance;
        private int updates;

        Moments(NDArray mean, NDArray variance, int updates) {
            this.mean = mean;
            this.variance = variance;
            this.updates = updates;
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
