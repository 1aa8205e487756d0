package io.github.depthsweep.app;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import java.util.Random;

/**
 * The engine on its own, as {@code bench} compares every path with it: the net's forward pass in
 * inference mode on input arrays made before the clock starts, and the logits copied back, as the
 * sweep's {@code bench} times inference.
 */
final class RawEngine {

    private final Block block;
    private final NDManager manager;
    private final ModelInfo info;
    private final Random random = new Random(0);

    /**
     * Creates the raw engine of a loaded model.
     *
     * @param block the model's block, initialized
     * @param manager the model's manager; each batch lives in a sub-manager of it
     * @param info the model's info, for the shape of its input
     */
    RawEngine(Block block, NDManager manager, ModelInfo info) {
        this.block = block;
        this.manager = manager;
        this.info = info;
    }

    /**
     * Times the forward pass over a number of images in batches.
     *
     * @param images how many images
     * @param batchSize the most images per batch
     * @return the seconds spent in forward passes
     */
    double seconds(int images, int batchSize) {
        double seconds = 0;
        for (int from = 0; from < images; from += batchSize) {
            int size = Math.min(batchSize, images - from);
            try (NDManager step = manager.newSubManager()) {
                Shape shape = SavedModel.batchShape(info, size);
                float[] values = new float[Math.toIntExact(shape.size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextFloat();
                }
                NDList input = new NDList(step.create(values, shape));
                long start = System.nanoTime();
                block.forward(new ParameterStore(step, false), input, false)
                        .singletonOrThrow()
                        .toFloatArray();
                seconds += (System.nanoTime() - start) / 1e9;
            }
        }
        return seconds;
    }
}
