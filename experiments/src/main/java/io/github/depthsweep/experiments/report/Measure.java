package io.github.depthsweep.experiments.report;

import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import java.util.function.Function;

/**
 * The two test accuracies a cell records, which reports keep apart: as trained (BatchNorm's moving
 * statistics, the tutorial's only measure) and after precise BN (the statistics re-estimated from
 * training batches). Compare a figure of ours only with one on the same measure.
 */
enum Measure {
    AS_TRAINED("as trained", "", CellResult::finalTestAccuracy, EpochResult::testAccuracy),
    PRECISE_BN(
            "after precise BN",
            "_precise_bn",
            CellResult::finalPreciseBnAccuracy,
            EpochResult::preciseBnTestAccuracy);

    /** How tables and plot titles name it. */
    final String label;

    /** What its plots' file names end with, before {@code .png}. */
    final String fileSuffix;

    private final Function<CellResult, Double> finalAccuracy;
    private final Function<EpochResult, Double> epochAccuracy;

    Measure(
            String label,
            String fileSuffix,
            Function<CellResult, Double> finalAccuracy,
            Function<EpochResult, Double> epochAccuracy) {
        this.label = label;
        this.fileSuffix = fileSuffix;
        this.finalAccuracy = finalAccuracy;
        this.epochAccuracy = epochAccuracy;
    }

    /**
     * Returns a cell's accuracy after its last epoch.
     *
     * @param r the cell
     * @return the accuracy, or null where it was not measured
     */
    Double finalAccuracy(CellResult r) {
        return finalAccuracy.apply(r);
    }

    /**
     * Returns an epoch's accuracy.
     *
     * @param e the epoch
     * @return the accuracy, or null where it was not measured
     */
    Double epochAccuracy(EpochResult e) {
        return epochAccuracy.apply(e);
    }

    /**
     * Returns whether a cell measured this after every epoch, so that it can be drawn per epoch.
     *
     * @param r the cell
     * @return true if every epoch has it
     */
    boolean everyEpoch(CellResult r) {
        return !r.epochs().isEmpty() && r.epochs().stream().allMatch(e -> epochAccuracy(e) != null);
    }
}
