package io.github.depthsweep.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * "Precise BN": replaces the moving mean and variance of every BatchNorm layer in a block with
 * plain averages of the batch statistics over a number of training batches. The weights are left as
 * they are.
 *
 * <p>Why: with the Keras tutorial's momentum of 0.99 the moving variance starts at 1 and moves 1% a
 * step, while real activation variances can be near 0.001, so inference-mode accuracy stays near
 * chance for hundreds of steps however well the net trains. Precise BN measures what the statistics
 * are now.
 *
 * <pre>{@code
 * PreciseBatchNorm.reestimate(model.getBlock(), trainSet.getData(manager), 50);
 * }</pre>
 */
public final class PreciseBatchNorm {

    private static final NDIndex ALL = new NDIndex(":");

    private PreciseBatchNorm() {}

    /**
     * Re-estimates the statistics of every {@link BatchNorm} in {@code block} from up to {@code
     * maxBatches} batches, each run through the block in training mode without gradients. Each
     * batch is closed after use.
     *
     * @param block an initialized block
     * @param batches training batches, on the block's device
     * @param maxBatches how many batches to average over
     * @return the number of batches used: fewer than {@code maxBatches} if {@code batches} ran out
     */
    public static int reestimate(Block block, Iterable<Batch> batches, int maxBatches) {
        if (maxBatches < 1) {
            throw new IllegalArgumentException("Need at least 1 batch, got " + maxBatches);
        }
        List<NDArray> stats = statistics(block);
        Iterator<Batch> iterator = batches.iterator();
        if (stats.isEmpty() || !iterator.hasNext()) {
            return 0;
        }
        try (NDManager scope = stats.get(0).getManager().newSubManager()) {
            NDList sums = new NDList();
            for (NDArray stat : stats) {
                sums.add(scope.zeros(stat.getShape(), stat.getDataType(), stat.getDevice()));
            }
            float[] share = null;
            int used = 0;
            while (used < maxBatches && iterator.hasNext()) {
                try (Batch batch = iterator.next()) {
                    if (share == null) {
                        share = batchShares(block, stats, batch.getData(), scope);
                    }
                    // From statistics of 0 a training step leaves (1 - momentum) * batch's.
                    fill(stats, 0);
                    forwardInTraining(block, batch.getData(), scope);
                    for (int i = 0; i < stats.size(); i++) {
                        try (NDArray batchStat = stats.get(i).div(share[i])) {
                            sums.get(i).addi(batchStat);
                        }
                    }
                    used++;
                }
            }
            for (int i = 0; i < stats.size(); i++) {
                stats.get(i).set(ALL, sums.get(i).divi(used));
            }
            return used;
        }
    }

    /**
     * Measures each statistic's share of a batch in one update, {@code 1 - momentum}: DJL keeps
     * BatchNorm's momentum private. From statistics of 1 an update leaves {@code momentum + (1 -
     * momentum) * batch}, from 0 it leaves {@code (1 - momentum) * batch}; the difference is the
     * momentum.
     */
    private static float[] batchShares(
            Block block, List<NDArray> stats, NDList input, NDManager scope) {
        fill(stats, 1);
        forwardInTraining(block, input, scope);
        List<float[]> fromOne = new ArrayList<>();
        for (NDArray stat : stats) {
            fromOne.add(stat.toFloatArray());
        }
        fill(stats, 0);
        forwardInTraining(block, input, scope);
        float[] shares = new float[stats.size()];
        for (int i = 0; i < stats.size(); i++) {
            float[] fromZero = stats.get(i).toFloatArray();
            double momentum = 0;
            for (int c = 0; c < fromZero.length; c++) {
                momentum += fromOne.get(i)[c] - fromZero[c];
            }
            shares[i] = (float) (1 - momentum / fromZero.length);
        }
        return shares;
    }

    /**
     * Copies the moving mean and variance of every BatchNorm in a block, so that they can be put
     * back after a re-estimate that was only for measuring.
     *
     * @param block an initialized block
     * @param manager the manager that owns the copies
     * @return the copies, in the order {@link #restoreStatistics} expects
     */
    public static NDList copyStatistics(Block block, NDManager manager) {
        NDList copies = new NDList();
        for (NDArray stat : statistics(block)) {
            NDArray copy = stat.duplicate();
            copy.attach(manager);
            copies.add(copy);
        }
        return copies;
    }

    /**
     * Puts back statistics saved by {@link #copyStatistics}.
     *
     * @param block the block they were copied from
     * @param copies the copies
     */
    public static void restoreStatistics(Block block, NDList copies) {
        List<NDArray> stats = statistics(block);
        for (int i = 0; i < stats.size(); i++) {
            stats.get(i).set(ALL, copies.get(i));
        }
    }

    private static List<NDArray> statistics(Block block) {
        List<NDArray> stats = new ArrayList<>();
        collectStatistics(block, stats);
        return stats;
    }

    /**
     * Runs a batch through the block in training mode for its side effect, BatchNorm updating its
     * moving statistics, and frees every array the pass computed before returning: they land in the
     * manager of the input, which is moved into a short-lived one for the pass. (Left in the
     * batch's manager, the three passes over the first batch kept three passes' activations alive
     * at once: docs/results/speed.md, "The 50-layer cells' peak", has the figures.)
     */
    private static void forwardInTraining(Block block, NDList input, NDManager scope) {
        ParameterStore parameters = new ParameterStore(scope, false);
        NDManager owner = input.head().getManager();
        try (NDManager pass = owner.newSubManager()) {
            input.attach(pass);
            try {
                block.forward(parameters, input, true);
            } finally {
                input.attach(owner); // the batch stays; what the pass computed goes with it
            }
        }
    }

    private static void fill(List<NDArray> arrays, float value) {
        for (NDArray array : arrays) {
            array.set(ALL, value);
        }
    }

    private static void collectStatistics(Block block, List<NDArray> stats) {
        if (block instanceof BatchNorm) {
            stats.add(block.getParameters().get("runningMean").getArray());
            stats.add(block.getParameters().get("runningVar").getArray());
        }
        for (Block child : block.getChildren().values()) {
            collectStatistics(child, stats);
        }
    }
}
