package io.github.depthsweep.experiments.run;

import ai.djl.nn.Block;
import io.github.depthsweep.tensorboard.Histogram;
import io.github.depthsweep.tensorboard.TensorBoardListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Histograms of the weights of a network's parts (stages 1 to 4 and the head for the seed's nets,
 * the parts of {@link GradientNorms}) at the end of an epoch: convolution and dense kernels only,
 * not biases or BatchNorm.
 *
 * @param epoch the epoch just ended, from 1
 * @param parts each part's histogram, by the part's name
 */
public record WeightHistograms(int epoch, Map<String, Histogram> parts) {

    /**
     * Takes the histograms of a network's weights now.
     *
     * @param network the network being trained
     * @param names the parts' names, as {@link GradientNorms#parts()} has them
     * @param epoch the epoch just ended
     * @return the histograms; a part without weights has none
     */
    public static WeightHistograms of(Block network, List<String> names, int epoch) {
        Map<String, Histogram> parts = new LinkedHashMap<>();
        List<Block> blocks = GradientNorms.trainableParts(network);
        for (int i = 0; i < Math.min(blocks.size(), names.size()); i++) {
            float[] weights = TensorBoardListener.weights(blocks.get(i));
            if (weights.length > 0) {
                parts.put(names.get(i), Histogram.of(weights));
            }
        }
        return new WeightHistograms(epoch, parts);
    }
}
