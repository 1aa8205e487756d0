package io.github.depthsweep.experiments.sweep;

import ai.djl.engine.Engine;
import io.github.depthsweep.experiments.run.Cell;

/**
 * Where a cell's randomness comes from: the engine's generator, seeded before each use from the
 * cell's random seed and the position in training. A resumed run thereby draws exactly what an
 * uninterrupted one would, with no generator state to save (PyTorch's cannot be read back through
 * DJL).
 */
final class CellRandomness {

    /** What a seed is drawn for. */
    enum Draw {
        /** The order of one epoch's batches. */
        SHUFFLE,
        /** The dropout masks of one step. */
        DROPOUT,
        /** The batches of one precise-BN pass. */
        PRECISE_BN
    }

    private final long seed;

    /**
     * Randomness for a cell.
     *
     * @param cell the cell, for its random seed
     */
    CellRandomness(Cell cell) {
        this.seed = cell.seed();
    }

    /** Seeds the engine for the initial weights: the cell's seed itself, as Keras's set_seed. */
    void seedInitialWeights() {
        Engine.getInstance().setRandomSeed((int) seed);
    }

    /**
     * Seeds the engine for one use.
     *
     * @param draw what the randomness is for
     * @param index its position: the epoch, or the step (from 1)
     */
    void seedFor(Draw draw, long index) {
        Engine.getInstance().setRandomSeed(seed(draw, index));
    }

    /** SplitMix64 of the cell's seed, the use and its position: independent streams per use. */
    private int seed(Draw draw, long index) {
        long x = seed * 0x9E3779B97F4A7C15L + (draw.ordinal() + 1L) * 0xBF58476D1CE4E5B9L;
        x += index;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L; // SplitMix64's finaliser
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return (int) (x ^ (x >>> 31)) & Integer.MAX_VALUE;
    }
}
