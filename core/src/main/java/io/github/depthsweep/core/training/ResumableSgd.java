package io.github.depthsweep.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Sgd;
import ai.djl.training.tracker.MultiFactorTracker;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DJL's {@link Sgd} with momentum, the same arithmetic (the engine's fused {@code sgdUpdate}), with
 * state that can be read and replaced: each parameter's momentum buffer and update count, so that
 * {@link TrainingCheckpoint} resumes it exactly.
 *
 * <p>{@link #he2016(int)} is the recipe He et al. (2016) trained their CIFAR-10 depth study with:
 * learning rate 0.1, momentum 0.9, weight decay 1e-4, the rate divided by 10 at half and at three
 * quarters of training. {@link #he2016(float, int, int)} adds the warm-up they gave their 110-layer
 * net, for which 0.1 was "slightly too large to start converging": a tenth of the rate for the
 * first {@link #HE2016_WARMUP_STEPS} steps.
 *
 * <p>Weight decay is PyTorch's: added to the gradient before momentum ({@code g + wd * w}). The
 * momentum buffer differs: the engine keeps the step with the learning rate in it ({@code v = m * v
 * + lr * g}, as MXNet and Caffe do) where PyTorch keeps the gradient ({@code b = m * b + g}, then
 * {@code lr * b}): the same updates at a constant rate, but after a drop the velocity built at the
 * old rate shrinks by the momentum each step instead of at once.
 */
public final class ResumableSgd extends ResumableOptimizer {

    /** What {@link #kind()} returns. */
    public static final String KIND = "sgd";

    /** He et al.'s (2016) initial learning rate. */
    public static final float HE2016_LEARNING_RATE = 0.1f;

    /** He et al.'s (2016) momentum. */
    public static final float HE2016_MOMENTUM = 0.9f;

    /** He et al.'s (2016) weight decay. */
    public static final float HE2016_WEIGHT_DECAY = 1e-4f;

    /**
     * He et al.'s (2016) warm-up: "about 400 iterations" at 0.01 before 0.1 (their 110-layer net,
     * batch 128 on CIFAR-10's 50,000 images: one epoch; here, batch 150 on 60,000: one epoch too).
     */
    public static final int HE2016_WARMUP_STEPS = 400;

    private static final String MOMENTUM = "momentum";

    private final ParameterTracker learningRateTracker;
    private final float momentum;
    private final Map<String, Buffer> state = new ConcurrentHashMap<>();

    private ResumableSgd(Builder builder) {
        super(builder);
        learningRateTracker = builder.learningRateTracker;
        momentum = builder.momentum;
    }

    /**
     * Creates a builder: learning rate 0.01, momentum 0.9, no weight decay.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns He et al.'s (2016) SGD for a run of a given length.
     *
     * @param totalSteps the steps of the whole run: the rate drops after half and three quarters
     * @return the optimizer
     */
    public static ResumableSgd he2016(int totalSteps) {
        return he2016(HE2016_LEARNING_RATE, totalSteps);
    }

    /**
     * Returns He et al.'s (2016) SGD for a run of a given length, from another initial rate.
     *
     * @param learningRate the initial learning rate (theirs: 0.1)
     * @param totalSteps the steps of the whole run, 3 or more: the rate is divided by 10 after step
     *     {@link #firstDrop} and again after step {@link #secondDrop}
     * @return the optimizer
     */
    public static ResumableSgd he2016(float learningRate, int totalSteps) {
        return he2016(learningRate, totalSteps, 0);
    }

    /**
     * Returns He et al.'s (2016) SGD with their warm-up: the first steps at a tenth of the rate.
     *
     * @param learningRate the initial learning rate (theirs: 0.1)
     * @param totalSteps the steps of the whole run, 3 or more
     * @param warmupSteps the steps at a tenth of the rate first, before {@link #firstDrop}; 0 for
     *     none. The drops stay at their steps of the whole run, as He et al.'s did (after 32k and
     *     48k iterations, the warm-up's included)
     * @return the optimizer
     */
    public static ResumableSgd he2016(float learningRate, int totalSteps, int warmupSteps) {
        ParameterTracker drops =
                MultiFactorTracker.builder()
                        .setBaseValue(learningRate)
                        .setSteps(new int[] {firstDrop(totalSteps), secondDrop(totalSteps)})
                        .optFactor(0.1f)
                        .build();
        ParameterTracker rate =
                warmupSteps == 0
                        ? drops
                        : (parameter, update) ->
                                update <= warmupSteps
                                        ? learningRate / 10
                                        : drops.getNewValue(parameter, update);
        return builder()
                .optLearningRateTracker(rate)
                .optMomentum(HE2016_MOMENTUM)
                .optWeightDecays(HE2016_WEIGHT_DECAY)
                .build();
    }

    /**
     * Returns the last step at He et al.'s initial rate: half the run.
     *
     * @param totalSteps the steps of the whole run
     * @return {@code totalSteps / 2}
     */
    public static int firstDrop(int totalSteps) {
        return totalSteps / 2;
    }

    /**
     * Returns the last step at a tenth of He et al.'s initial rate: three quarters of the run.
     *
     * @param totalSteps the steps of the whole run
     * @return {@code totalSteps * 3 / 4}
     */
    public static int secondDrop(int totalSteps) {
        return totalSteps * 3 / 4;
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        Buffer buffer =
                state.computeIfAbsent(
                        parameterId,
                        id -> {
                            NDArray zeros = weight.zerosLike();
                            zeros.detach(); // lives as long as the optimizer
                            return new Buffer(zeros, 0);
                        });
        int t = ++buffer.updates;
        float learningRate = learningRateTracker.getNewValue(parameterId, t);
        if (!Float.isFinite(learningRate)) {
            throw new IllegalArgumentException(
                    "SGD's learning rate became " + learningRate + " at update " + t);
        }
        // The engine updates weight and momentum in place, as DJL's Sgd has it do.
        weight.getNDArrayInternal()
                .sgdUpdate(
                        new NDList(weight, grad, buffer.momentum),
                        new NDList(weight),
                        learningRate,
                        getWeightDecay(),
                        rescaleGrad,
                        clipGrad,
                        momentum,
                        true);
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
     * <p>SGD's one array is {@code momentum}, the velocity buffer.
     */
    @Override
    public OptimizerState state(String parameterId) {
        Buffer buffer = state.get(parameterId);
        if (buffer == null) {
            return null;
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.put(MOMENTUM, buffer.momentum);
        return new OptimizerState(buffer.updates, arrays);
    }

    /** {@inheritDoc} */
    @Override
    public void setState(String parameterId, OptimizerState saved) {
        NDArray buffer = saved.arrays().get(MOMENTUM);
        if (buffer == null) {
            throw new IllegalArgumentException(
                    "SGD's state needs momentum, got " + saved.arrays().keySet());
        }
        buffer.detach();
        Buffer old = state.put(parameterId, new Buffer(buffer, saved.updates()));
        if (old != null) {
            old.momentum.close();
        }
    }

    /** One parameter's state: its momentum buffer and the updates so far. */
    private static final class Buffer {

        private final NDArray momentum;
        private int updates;

        Buffer(NDArray momentum, int updates) {
            this.momentum = momentum;
            this.updates = updates;
        }
    }

    /** Builds a {@link ResumableSgd}; the options are those of DJL's {@link Sgd.Builder}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRateTracker = Tracker.fixed(0.01f);
        private float momentum = 0.9f;

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
         * Sets the momentum.
         *
         * @param momentum the share of the last update kept, default 0.9
         * @return this builder
         */
        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public ResumableSgd build() {
            return new ResumableSgd(this);
        }
    }
}
