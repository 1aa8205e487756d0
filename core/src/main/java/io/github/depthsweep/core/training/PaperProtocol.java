package io.github.depthsweep.core.training;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

/**
 * The Keras tutorial's training protocol: Adam with Keras's settings and legacy decay, sparse
 * categorical cross-entropy, batches of 150 for 25 epochs.
 */
public final class PaperProtocol {

    /** The Keras tutorial's batch size: 400 steps an epoch on the 60,000 training images. */
    public static final int BATCH_SIZE = 150;

    /** The Keras tutorial's number of epochs. */
    public static final int EPOCHS = 25;

    /** The Keras tutorial's learning rate. */
    public static final float LEARNING_RATE = 1e-4f;

    /** The Keras tutorial's legacy Keras decay per step. */
    public static final float DECAY = 1e-6f;

    /** Keras's Adam epsilon (PyTorch's default is 1e-8). */
    public static final float ADAM_EPSILON = 1e-7f;

    private PaperProtocol() {}

    /**
     * Returns the Keras tutorial's optimiser: Adam, beta1 0.9, beta2 0.999, epsilon 1e-7, with the
     * learning rate decayed as {@code lr / (1 + decay * t)}. It is DJL's Adam with state that a
     * {@link TrainingCheckpoint} can save and restore.
     *
     * @param learningRate the initial learning rate
     * @param decay Keras's legacy decay per step
     * @return the optimiser
     */
    public static ResumableAdam adam(float learningRate, float decay) {
        return ResumableAdam.builder()
                .optLearningRateTracker(new KerasInverseTimeDecay(learningRate, decay))
                .optBeta1(0.9f)
                .optBeta2(0.999f)
                .optEpsilon(ADAM_EPSILON)
                .build();
    }

    /**
     * Returns a training configuration with the Keras tutorial's loss, optimiser and an accuracy
     * evaluator. Add listeners and devices to it as needed.
     *
     * @param learningRate the initial learning rate
     * @param decay Keras's legacy decay per step
     * @return the configuration
     */
    public static DefaultTrainingConfig trainingConfig(float learningRate, float decay) {
        return trainingConfig(adam(learningRate, decay));
    }

    /**
     * Returns a training configuration with the Keras tutorial's loss, another optimiser (e.g. one
     * an {@link OptimizerRecipe} made) and an accuracy evaluator.
     *
     * @param optimizer the optimiser
     * @return the configuration
     */
    public static DefaultTrainingConfig trainingConfig(Optimizer optimizer) {
        // The net outputs logits; this loss applies the Keras tutorial's softmax itself.
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .addEvaluator(new Accuracy());
    }

    /**
     * Returns the Keras tutorial's own configuration: {@link #LEARNING_RATE} and {@link #DECAY}.
     *
     * @return the configuration
     */
    public static DefaultTrainingConfig trainingConfig() {
        return trainingConfig(LEARNING_RATE, DECAY);
    }
}
