package io.github.depthsweep.experiments.sweep;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.nn.MultiplyAdds;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.experiments.run.Cell;
import io.github.depthsweep.experiments.run.CellCheckpoints;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells a sweep runs, with each model's size and cost, and this shard's share of them.
 *
 * <p>The plan's order (depth as given, then variant, then seed) fixes the shards: {@code --shard
 * K/N} takes cells K, K+N, ... of it, whatever the order of training. Workers train their cells
 * longest first ({@link #longestFirst}): on several nodes sharing the cells, the costliest ones
 * then start first and the last node to finish waits least for the others (the classic rule for a
 * queue of jobs on parallel machines). A run folder finds its cells by id, so the order can change
 * between runs of one sweep.
 */
public final class SweepPlan {

    private final List<Cell> cells;
    private final Protocol protocol;
    private final Map<String, long[]> sizes = new HashMap<>();

    private SweepPlan(List<Cell> cells, Protocol protocol) {
        this.cells = cells;
        this.protocol = protocol;
    }

    /**
     * Plans the cells of a sweep, checking every architecture and depth first.
     *
     * @param architectures the architectures
     * @param depths the depths
     * @param seeds seeds per cell (0 .. seeds-1)
     * @param shard this shard's index, from 0
     * @param shards the number of shards
     * @param protocol the training settings
     * @return the plan
     * @throws IllegalArgumentException if an architecture cannot be built at a depth
     */
    public static SweepPlan of(
            List<Architecture> architectures,
            List<Integer> depths,
            int seeds,
            int shard,
            int shards,
            Protocol protocol) {
        List<Cell> all = new ArrayList<>();
        for (int depth : depths) {
            for (Architecture architecture : architectures) {
                architecture.checkDepth(depth);
                for (int seed = 0; seed < seeds; seed++) {
                    all.add(new Cell(architecture, depth, seed));
                }
            }
        }
        List<Cell> mine = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (i % shards == shard) {
                mine.add(all.get(i));
            }
        }
        return new SweepPlan(mine, protocol);
    }

    /**
     * Returns the settings every cell trains with.
     *
     * @return the protocol
     */
    public Protocol protocol() {
        return protocol;
    }

    /**
     * Returns this shard's cells in the plan's order.
     *
     * @return the cells: depth as given, then variant, then seed
     */
    public List<Cell> cells() {
        return cells;
    }

    /**
     * Returns this shard's cells in the order workers claim them: the costliest first, by {@link
     * #epochWork} (every cell trains the same epochs), ties in the plan's order.
     *
     * @param manager a manager to build the models in
     * @return the cells, longest first
     */
    public List<Cell> longestFirst(NDManager manager) {
        List<Cell> sorted = new ArrayList<>(cells);
        sorted.sort(Comparator.comparingDouble((Cell cell) -> -epochWork(cell, manager)));
        return List.copyOf(sorted);
    }

    /**
     * Returns a cell's parameter count (Keras's way).
     *
     * @param cell the cell
     * @param manager a manager to build the model in
     * @return the parameter count
     */
    public long parameters(Cell cell, NDManager manager) {
        return size(cell, manager)[0];
    }

    /**
     * Returns the work of one epoch of a cell, in multiply-adds: the training steps (three forward
     * passes' worth per image) and the evaluations.
     *
     * @param cell the cell
     * @param manager a manager to build the model in
     * @return the multiply-adds of an epoch
     */
    public double epochWork(Cell cell, NDManager manager) {
        return size(cell, manager)[1] * forwardImages(protocol);
    }

    /**
     * Returns the images one epoch passes forward through a net, counting a training step's forward
     * and backward pass as three forward passes per image: training, the test set (twice with
     * precise BN) and precise BN's batches.
     *
     * @param protocol the settings
     * @return forward passes' worth of images per epoch
     */
    public static double forwardImages(Protocol protocol) {
        double evaluations = protocol.preciseBnBatches() > 0 ? 2 : 1;
        return trainingForwardImages(protocol)
                + evaluations * protocol.testLimit()
                + (double) protocol.preciseBnBatches() * protocol.batchSize();
    }

    /**
     * Returns the share of {@link #forwardImages} that trains: the rest evaluates.
     *
     * @param protocol the settings
     * @return forward passes' worth of training images per epoch
     */
    public static double trainingForwardImages(Protocol protocol) {
        return 3.0 * protocol.trainLimit();
    }

    /**
     * Returns the share of an epoch's work that is left after its first steps: the rest of its
     * training and all its evaluations, for timing an epoch resumed from a checkpoint mid-way.
     *
     * @param protocol the settings
     * @param stepsDone the epoch's steps done before, 0 to its steps per epoch
     * @return the share, 1 for a whole epoch
     */
    public static double shareAfter(Protocol protocol, int stepsDone) {
        double training = trainingForwardImages(protocol) / forwardImages(protocol);
        return 1 - training * stepsDone / protocol.stepsPerEpoch();
    }

    /**
     * Returns the epochs a cell still has to train in a run folder: none once it has a result, all
     * but those its checkpoint holds otherwise (the epoch in progress counts whole).
     *
     * @param cell the cell
     * @param folder the run folder
     * @param checkpoints the folder's checkpoints
     * @return the epochs left, 0 for a cell that has ended
     * @throws IOException if the cell's record cannot be read
     */
    public int epochsLeft(Cell cell, RunFolder folder, CellCheckpoints checkpoints)
            throws IOException {
        return folder.result(cell).isPresent()
                ? 0
                : protocol.epochs() - checkpoints.epochsDone(cell);
    }

    /** Parameters and multiply-adds per image, measured once per model on a built network. */
    private long[] size(Cell cell, NDManager manager) {
        return sizes.computeIfAbsent(
                cell.model(),
                name -> {
                    try (NDManager scope = manager.newSubManager()) {
                        int classes = Datasets.byName(protocol.dataset()).classes().size();
                        Block network = cell.architecture().build(cell.depth(), classes);
                        network.initialize(scope, DataType.FLOAT32, StageNet.INPUT_SHAPE);
                        return new long[] {
                            StageNet.countParameters(network), MultiplyAdds.perImage(network)
                        };
                    }
                });
    }
}
