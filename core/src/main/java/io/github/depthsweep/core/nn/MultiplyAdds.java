package io.github.depthsweep.core.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

/**
 * Counts the multiply-adds of one forward pass of one image through the convolutions and dense
 * layers of a block, the work that dominates training time. A training step costs about three
 * forward passes: the forward, and the two products of the backward.
 */
public final class MultiplyAdds {

    private MultiplyAdds() {}

    /**
     * Returns the multiply-adds per image of a block's convolutions and dense layers.
     *
     * @param block a block initialized with a batch of one image
     * @return the multiply-adds of one forward pass
     */
    public static long perImage(Block block) {
        long total = 0;
        if (block instanceof Convolution || block instanceof Linear) {
            Shape weight = block.getParameters().get("weight").getArray().getShape();
            Shape output = block.getOutputShapes(block.getInputShapes())[0];
            // each output value of a channel takes weight.size() / channels multiply-adds
            long outputsPerImage = output.size() / output.get(0);
            total += outputsPerImage * (weight.size() / weight.get(0));
        }
        for (Block child : block.getChildren().values()) {
            total += perImage(child);
        }
        return total;
    }
}
