package io.github.depthsweep.experiments.sweep;

import io.github.depthsweep.core.training.AdamRecipe;
import io.github.depthsweep.core.training.He2016Recipe;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named sets of sweep settings. {@code paper} is the seed's protocol; {@code he2016} and {@code
 * he2016-warmup} the same cells trained with another optimizer; the others are shorter versions
 * measured on a 2-core CPU (see the README for their wall times). Every value can still be
 * overridden by its flag.
 */
public enum Preset {
    /** The seed's protocol: 25 epochs on all 60,000 images, tested on all 10,000. */
    PAPER(List.of(12, 20, 32, 50), 25, 60_000, 10_000, 50, AdamRecipe.NAME),
    /**
     * {@code paper}'s cells and length with He et al.'s (2016) SGD instead of Adam: does the plain
     * nets' failure at depth depend on the optimizer?
     */
    HE2016(List.of(12, 20, 32, 50), 25, 60_000, 10_000, 50, He2016Recipe.NAME),
    /**
     * {@code he2016} with the warm-up He et al. gave the net that 0.1 did not start: 400 steps at
     * 0.01 first. For the cells 0.1 does not start: here both 32-layer nets (residual-32's loss is
     * NaN within 32 steps, plain-32 guesses one class).
     */
    HE2016_WARMUP(List.of(12, 20, 32, 50), 25, 60_000, 10_000, 50, He2016Recipe.WARMUP_NAME),
    /**
     * All eight cells in well under an hour on 2 CPU cores: 200 steps a cell. Judged by the
     * precise-BN accuracy: the seed's BatchNorm statistics lag far behind at this length.
     */
    QUICK(List.of(12, 20, 32, 50), 2, 15_000, 5_000, 50, AdamRecipe.NAME),
    /** A minute or two: checks that everything runs, shows nothing about depth. */
    SMOKE(List.of(4, 8), 1, 1_500, 500, 5, AdamRecipe.NAME);

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

    /** The optimizer, an {@code OptimizerRecipes} name. */
    public final String optimizer;

    /**
     * Returns the name the {@code --preset} flag takes.
     *
     * @return e.g. {@code paper}, {@code he2016-warmup}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Returns the preset a label names, in any case.
     *
     * @param label e.g. {@code he2016-warmup}
     * @return the preset
     * @throws IllegalArgumentException if none has that label; the message, one line, lists them
     */
    public static Preset parse(String label) {
        for (Preset preset : values()) {
            if (preset.label().equalsIgnoreCase(label)) {
                return preset;
            }
        }
        throw new IllegalArgumentException(
                "Unknown preset '"
                        + label
                        + "': use one of "
                        + Arrays.stream(values())
                                .map(Preset::label)
                                .collect(Collectors.joining(", "))
                        + ".");
    }

    Preset(
            List<Integer> depths,
            int epochs,
            int trainLimit,
            int testLimit,
            int preciseBnBatches,
            String optimizer) {
        this.depths = depths;
        this.epochs = epochs;
        this.trainLimit = trainLimit;
        this.testLimit = testLimit;
        this.preciseBnBatches = preciseBnBatches;
        this.optimizer = optimizer;
    }
}
