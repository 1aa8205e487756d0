package io.github.depthsweep.core.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;
import ai.djl.util.Pair;
import io.github.depthsweep.core.data.DatasetInfo;

/**
 * The Keras tutorial's plain and residual CNNs for any depth, built as DJL blocks.
 *
 * <p>The network is four stages of 32, 64, 128 and 256 filters, each a run of conv-bn units ({@link
 * KerasBlocks#convBn}) followed by a 2x2 max-pool, then Dropout, Flatten and Dense. The first unit
 * of stage 1 is the stem. In the residual variant each stage has one skip connection around its
 * units: the stem's output in stage 1, a 1x1 projection of the stage's input in the others. {@link
 * StagePlan} says how many units each stage gets.
 *
 * <pre>{@code
 * Block net = StageNet.builder().setVariant(Variant.RESIDUAL).setDepth(50).build();
 * }</pre>
 *
 * <p>The block's children are the four stages and the head, in that order.
 */
public final class StageNet {

    /** The shape of one image, with a batch axis: NCHW (1, 1, 28, 28). */
    public static final Shape INPUT_SHAPE = new Shape(1).addAll(DatasetInfo.IMAGE_SHAPE);

    /** Keras's glorot-uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out)) = sqrt(3 / avg). */
    static final XavierInitializer GLOROT_UNIFORM =
            new XavierInitializer(RandomType.UNIFORM, FactorType.AVG, 3f);

    private StageNet() {}

    /**
     * Creates a builder for a network.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the name of a network, as used in files and tables: {@code plain-12}.
     *
     * @param variant the variant
     * @param depth the depth
     * @return the name
     */
    public static String name(Variant variant, int depth) {
        return variant.label() + "-" + depth;
    }

    /**
     * Counts a block's parameters as Keras's {@code model.summary()} does: the BatchNorm moving
     * mean and variance included.
     *
     * @param block an initialized block
     * @return the number of values in all its parameters
     */
    public static long countParameters(Block block) {
        long count = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            count += parameter.getValue().getArray().size();
        }
        return count;
    }

    /**
     * Counts the parameters of a network without building it, as {@link #countParameters} would
     * count them once it is built and initialized for one-channel 28x28 images: what a saved
     * model's parameters file must hold, checked before anything is built.
     *
     * @param variant the variant
     * @param depth the depth
     * @param classes the number of classes
     * @return the number of values in all its parameters, BatchNorm's moving statistics included
     * @throws IllegalArgumentException if the depth is out of {@link StagePlan}'s range
     */
    public static long parameterCount(Variant variant, int depth, int classes) {
        StagePlan plan = StagePlan.forDepth(depth);
        long channels = DatasetInfo.IMAGE_SHAPE.get(0);
        long side = DatasetInfo.IMAGE_SHAPE.get(1);
        long count = 0;
        for (int stage = 0; stage < plan.stages(); stage++) {
            long width = plan.width(stage);
            // a 2x2 kernel and a bias, then BatchNorm's gamma, beta, moving mean and variance
            long first = 4 * channels * width + width + 4 * width;
            long next = 4 * width * width + width + 4 * width;
            count += first + (plan.convolutions(stage) - 1) * next;
            if (variant == Variant.RESIDUAL && stage > 0) {
                count += channels * width + width; // the 1x1 projection, with a bias
            }
            channels = width;
            side /= 2;
        }
        return count + channels * side * side * classes + classes;
    }

    /** Builds a {@link StageNet}: {@code setX} for what is required, {@code optX} for the rest. */
    public static final class Builder {

        private Variant variant;
        private StagePlan plan;
        private int classes = 10;

        Builder() {}

        /**
         * Sets the variant: plain, or residual with one skip connection per stage.
         *
         * @param variant the variant
         * @return this builder
         */
        public Builder setVariant(Variant variant) {
            this.variant = variant;
            return this;
        }

        /**
         * Sets the depth: the number of 2x2 convolutions, at least {@value StagePlan#MIN_DEPTH}.
         *
         * @param depth the depth
         * @return this builder
         * @throws IllegalArgumentException if the depth is below {@value StagePlan#MIN_DEPTH}
         */
        public Builder setDepth(int depth) {
            this.plan = StagePlan.forDepth(depth);
            return this;
        }

        /**
         * Sets the number of output classes; the default is Fashion-MNIST's 10.
         *
         * @param classes the number of classes
         * @return this builder
         */
        public Builder optClasses(int classes) {
            if (classes < 2) {
                throw new IllegalArgumentException(
                        "A classifier needs at least 2 classes, got " + classes + ".");
            }
            this.classes = classes;
            return this;
        }

        /**
         * Builds the network, uninitialized. Kernels get Keras's glorot-uniform and biases zero
         * when it is initialized.
         *
         * @return the network: stages 1 to 4, then the head
         * @throws IllegalStateException if the variant or depth was not set
         */
        public SequentialBlock build() {
            if (variant == null || plan == null) {
                throw new IllegalStateException(
                        "Set both the variant (setVariant) and the depth (setDepth) before build().");
            }
            SequentialBlock net = new SequentialBlock();
            for (int stage = 0; stage < plan.stages(); stage++) {
                net.add(stage(stage));
            }
            net.add(KerasBlocks.head(classes));
            net.setInitializer(GLOROT_UNIFORM, Parameter.Type.WEIGHT);
            return net;
        }

        private SequentialBlock stage(int stage) {
            int width = plan.width(stage);
            int units = plan.convolutions(stage);
            SequentialBlock block = new SequentialBlock();
            Block shortcut;
            if (stage == 0) {
                // The stem is outside the skip: its output is what stage 1's shortcut carries.
                block.add(KerasBlocks.convBn(width));
                units--;
                shortcut = KerasBlocks.identity();
            } else {
                shortcut = KerasBlocks.projection(width);
            }
            Block main = KerasBlocks.convBnUnits(width, units);
            block.add(variant == Variant.RESIDUAL ? KerasBlocks.residual(main, shortcut) : main);
            return block.add(KerasBlocks.maxPool());
        }
    }
}
