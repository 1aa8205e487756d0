package io.github.depthsweep.experiments.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.nn.MultiplyAdds;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.core.training.ResumableAdam;

/**
 * One seed model set up for timing on the CPU: training steps and inference on random batches of
 * 150, which need no data and cost what real ones do.
 */
final class ModelBench implements AutoCloseable {

    private final String name;
    private final Model model;
    private final Trainer trainer;
    private final ResumableAdam optimizer;

    private ModelBench(String name, Model model, Trainer trainer, ResumableAdam optimizer) {
        this.name = name;
        this.model = model;
        this.trainer = trainer;
        this.optimizer = optimizer;
    }

    /**
     * Builds and initializes a model by its name, on the CPU.
     *
     * @param name e.g. {@code plain-12} or {@code residual-50}
     * @return the model, ready to time
     * @throws IllegalArgumentException if the name is not a variant and a depth it can be built at
     */
    static ModelBench open(String name) {
        int dash = name.lastIndexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException(
                    "Models are named like plain-12 or residual-50, got '" + name + "'.");
        }
        Architecture architecture = Architecture.parse(name.substring(0, dash));
        int depth;
        try {
            depth = Integer.parseInt(name.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "Models are named like plain-12 or residual-50, got '" + name + "'.");
        }
        return open(architecture, depth, Device.cpu());
    }

    /**
     * Builds and initializes a model.
     *
     * @param architecture the architecture
     * @param depth its depth
     * @param device where it trains
     * @return the model, ready to time
     * @throws IllegalArgumentException if the architecture cannot be built at the depth
     */
    static ModelBench open(Architecture architecture, int depth, Device device) {
        String name = architecture.modelName(depth);
        Block network = architecture.build(depth, 10);
        Engine.getInstance().setRandomSeed(0);
        Model model = Model.newInstance(name, device);
        try {
            model.setBlock(network);
            DefaultTrainingConfig config = PaperProtocol.trainingConfig();
            Trainer trainer = model.newTrainer(config);
            try {
                trainer.initialize(StageNet.INPUT_SHAPE);
            } catch (RuntimeException e) {
                trainer.close();
                throw e;
            }
            return new ModelBench(name, model, trainer, (ResumableAdam) config.getOptimizer());
        } catch (RuntimeException e) {
            model.close(); // or DJL's finalizer reports it open
            throw e;
        }
    }

    /**
     * Returns the model's name.
     *
     * @return e.g. {@code plain-12}
     */
    String name() {
        return name;
    }

    /**
     * Returns the network.
     *
     * @return the block being trained
     */
    Block network() {
        return model.getBlock();
    }

    /**
     * Returns the optimizer, whose state a checkpoint saves.
     *
     * @return the optimizer
     */
    ResumableAdam optimizer() {
        return optimizer;
    }

    /**
     * Returns the parameter count, as Keras counts it.
     *
     * @return the parameters
     */
    long parameters() {
        return StageNet.countParameters(model.getBlock());
    }

    /**
     * Returns the multiply-adds of one image's forward pass.
     *
     * @return the multiply-adds
     */
    long multiplyAdds() {
        return MultiplyAdds.perImage(model.getBlock());
    }

    /**
     * Runs one training step on a random batch.
     *
     * @return its seconds, making the batch excluded
     */
    double trainStep() {
        StepTimes times = timedTrainStep();
        return times.forwardBackward() + times.update();
    }

    /**
     * Runs one training step on a random batch and times its two parts.
     *
     * @return the seconds of the forward and backward pass, and of the optimizer's update
     */
    StepTimes timedTrainStep() {
        int batch = PaperProtocol.BATCH_SIZE;
        try (NDManager step = trainer.getManager().newSubManager()) {
            NDArray images = step.randomUniform(0, 1, new Shape(batch, 1, 28, 28));
            NDArray labels =
                    step.randomInteger(0, 10, new Shape(batch), DataType.INT64)
                            .toType(DataType.FLOAT32, false);
            long start = System.nanoTime();
            NDArray loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList scores = trainer.forward(new NDList(images));
                loss = trainer.getLoss().evaluate(new NDList(labels), scores);
                collector.backward(loss);
            }
            // On a GPU, reading a value back waits for the kernels queued before it: after the
            // backward pass, and again after the update.
            loss.getFloat();
            long backwardEnd = System.nanoTime();
            trainer.step();
            loss.getFloat();
            long end = System.nanoTime();
            return new StepTimes((backwardEnd - start) / 1e9, (end - backwardEnd) / 1e9);
        }
    }

    /**
     * The two parts of a training step.
     *
     * @param forwardBackward seconds of the forward and backward pass, loss included
     * @param update seconds of the optimizer's update of every parameter ({@code Trainer.step})
     */
    record StepTimes(double forwardBackward, double update) {}

    /**
     * Times training steps.
     *
     * @param steps the steps
     * @return images per second
     */
    double trainRate(int steps) {
        double seconds = 0;
        for (int i = 0; i < steps; i++) {
            seconds += trainStep();
        }
        return steps * PaperProtocol.BATCH_SIZE / seconds;
    }

    /**
     * Times inference on random batches, after untimed warm-up batches.
     *
     * @param warmup untimed batches first
     * @param steps timed batches
     * @return images per second
     */
    double inferRate(int warmup, int steps) {
        int batch = PaperProtocol.BATCH_SIZE;
        double seconds = 0;
        for (int i = 0; i < warmup + steps; i++) {
            try (NDManager step = trainer.getManager().newSubManager()) {
                NDArray images = step.randomUniform(0, 1, new Shape(batch, 1, 28, 28));
                long start = System.nanoTime();
                trainer.evaluate(new NDList(images)).head().toFloatArray();
                if (i >= warmup) {
                    seconds += (System.nanoTime() - start) / 1e9;
                }
            }
        }
        return steps * batch / seconds;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
