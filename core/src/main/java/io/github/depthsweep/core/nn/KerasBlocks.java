package io.github.depthsweep.core.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * The Keras tutorial's building blocks as DJL blocks: the conv-bn unit, a run of units, the skip
 * connection, the 1x1 projection shortcut, the pooling and the head. {@link StageNet} puts them
 * together.
 */
public final class KerasBlocks {

    /** Keras's BatchNormalization momentum: moving = 0.99 * moving + 0.01 * batch. */
    public static final float BATCH_NORM_MOMENTUM = 0.99f;

    /** Keras's BatchNormalization epsilon. */
    public static final float BATCH_NORM_EPSILON = 1e-3f;

    /** The Keras tutorial's dropout rate before the dense layer. */
    public static final float DROPOUT_RATE = 0.5f;

    private KerasBlocks() {}

    /**
     * Returns the Keras tutorial's unit: Conv2D 2x2 with Keras {@code same} padding, then ReLU,
     * then BatchNorm, in that order.
     *
     * @param filters the number of output channels
     * @return pad, conv, ReLU, BatchNorm as one block
     */
    public static SequentialBlock convBn(int filters) {
        return new SequentialBlock()
                .add(kerasSamePadding2x2())
                .add(Conv2d.builder().setKernelShape(new Shape(2, 2)).setFilters(filters).build())
                .add(Activation.reluBlock())
                .add(
                        BatchNorm.builder()
                                .optMomentum(BATCH_NORM_MOMENTUM)
                                .optEpsilon(BATCH_NORM_EPSILON)
                                .build());
    }

    /**
     * Returns {@code count} conv-bn units in a row, all of {@code filters} channels. With a count
     * of 0 the block passes its input through unchanged (stage 1 of a depth-4 net).
     *
     * @param filters the number of output channels of every unit
     * @param count the number of units, 0 or more
     * @return the units as one block
     */
    public static Block convBnUnits(int filters, int count) {
        if (count == 0) {
            return identity(); // DJL cannot initialize an empty SequentialBlock
        }
        SequentialBlock units = new SequentialBlock();
        for (int i = 0; i < count; i++) {
            units.add(convBn(filters));
        }
        return units;
    }

    /**
     * Returns a block whose output is {@code main(x) + shortcut(x)}: plain element-wise addition,
     * no activation after it.
     *
     * @param main the main branch
     * @param shortcut the skip branch; its output must have the main branch's shape
     * @return the two branches joined by addition
     */
    public static ParallelBlock residual(Block main, Block shortcut) {
        return new ParallelBlock(
                branches ->
                        new NDList(
                                branches.get(0)
                                        .singletonOrThrow()
                                        .add(branches.get(1).singletonOrThrow())),
                List.of(main, shortcut));
    }

    /**
     * Returns the identity shortcut, which stage 1 uses around its units after the stem.
     *
     * @return a block that returns its input
     */
    public static Block identity() {
        return Blocks.identityBlock();
    }

    /**
     * Returns the Keras tutorial's shortcut for stages 2 to 4: a 1x1 convolution with bias and ReLU
     * and no BatchNorm, which brings the stage's input to the stage's width.
     *
     * @param filters the stage's width
     * @return the projection shortcut
     */
    public static SequentialBlock projection(int filters) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build())
                .add(Activation.reluBlock());
    }

    /**
     * Returns the max-pool that ends every stage: 2x2, stride 2, {@code valid} (28, 14, 7, 3, 1).
     *
     * @return the pooling block
     */
    public static Block maxPool() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }

    /**
     * Returns the Keras tutorial's head: Dropout 0.5, Flatten, Dense. It outputs logits: the Keras
     * tutorial's softmax lives in the loss during training and in the translator at inference.
     *
     * @param classes the number of classes
     * @return the head
     */
    public static SequentialBlock head(int classes) {
        return new SequentialBlock()
                .add(Dropout.builder().optRate(DROPOUT_RATE).build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * Returns the zero padding that Keras's {@code padding="same"} applies for a 2x2 kernel with
     * stride 1: nothing before and one row or column after, on the bottom and the right.
     *
     * @return the padding block
     */
    public static Block kerasSamePadding2x2() {
        // Padding an NHWC view leaves the result channels-last in memory (still NCHW in shape),
        // and PyTorch's CPU convolutions, BatchNorm and pooling keep that layout, which trains
        // faster than NCHW (docs/results/speed.md, "The change: channels-last through the
        // padding", has the figures). The transposes are views, and
        // the pad is the one copy Keras's 'same' padding needs anyway. With C last, pad's
        // (before, after) pairs run channels, width, height.
        return LambdaBlock.singleton(
                x ->
                        x.transpose(0, 2, 3, 1)
                                .pad(new Shape(0, 0, 0, 1, 0, 1), 0)
                                .transpose(0, 3, 1, 2));
    }
}
