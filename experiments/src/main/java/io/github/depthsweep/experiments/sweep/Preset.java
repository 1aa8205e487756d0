package io.github.depthsweep.experiments.sweep;

import java.util.List;
import java.util.Locale;

/**
 * Named sets of sweep settings. {@code paper} is the seed's protocol; the others are shorter
 * versions measured on a 2-core CPU (see the README for their wall times). Every value can still be
 * overridden by its flag.
 */
public enum Preset {
    /** The seed's protocol: 25 epochs on all 60,000 images, tested on all 10,000. */
    PAPER(List.of(12, 20, 32, 50), 25, 60_000, 10_000, 50),
    /**
     * All eight cells in well under an hour on 2 CPU cores: 200 steps a cell. Judged by the
     * precise-BN accuracy: the seed's BatchNorm statistics lag far behind at this length.
     */
    QUICK(List.of(12, 20, 32, 50), 2, 15_000, 5_000, 50),
    /** A minute or two: checks that everything runs, shows nothing about depth. */
    SMOKE(List.of(4, 8), 1, 1_500, 500, 5);

    /** The depths it sweeps. */
    public final List<Integer> depths;

    /** Epochs per cell. */
    public final int epochs;

    /** Training images used, the first ones. */
    public final int trainLimit;

    /** Test images used, the first ones. */
    public final int testLimit;

    /** Training batches for the precise-BN accuracy; 0 to skip it. */
    public final int preciseBnBatches;

    /**
     * Returns the name the {@code --preset} flag takes.
     *
     * @return e.g. {@code paper}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    Preset(List<Integer> depths, int epochs, int trainLimit, int testLimit, int preciseBnBatches) {
        this.depths = depths;
        this.epochs = epochs;
        this.trainLimit = trainLimit;
        this.testLimit = testLimit;
        this.preciseBnBatches = preciseBnBatches;
    }
}
