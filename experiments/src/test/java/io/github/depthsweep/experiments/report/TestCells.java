package io.github.depthsweep.experiments.report;

import io.github.depthsweep.experiments.run.CellProgress;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.GradientNorms;
import io.github.depthsweep.experiments.run.Protocol;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Finished cells for the report tests: every field a report reads, from the few a test sets. */
final class TestCells {

    /** The seed's protocol, without precise BN. */
    static final Protocol PAPER =
            new Protocol("fashion-mnist", 25, 150, 1e-4f, 1e-6f, 60_000, 10_000, 0, "adam");

    /** No gradient norms sampled. */
    static final GradientNorms NO_NORMS = new GradientNorms(List.of(), List.of(), List.of());

    private TestCells() {}

    /** A cell of one epoch under {@link #PAPER}: {@code accuracy} as trained, no precise BN. */
    static CellResult cell(String variant, int depth, int seed, double accuracy) {
        EpochResult epoch =
                new EpochResult(1, 0.5, 0.8, 0.4, accuracy, null, 60, 1000, 900.0, 950.0);
        return cell(variant, depth, seed, PAPER, List.of(epoch), NO_NORMS, List.of());
    }

    /**
     * A cell whose final and best accuracies are those of its epochs; 100 parameters, 60 s of
     * training.
     */
    static CellResult cell(
            String variant,
            int depth,
            int seed,
            Protocol protocol,
            List<EpochResult> epochs,
            GradientNorms norms,
            List<CellProgress.Session> sessions) {
        EpochResult last = epochs.get(epochs.size() - 1);
        EpochResult best =
                epochs.stream().max(Comparator.comparingDouble(EpochResult::testAccuracy)).get();
        Double bestPrecise =
                epochs.stream()
                        .map(EpochResult::preciseBnTestAccuracy)
                        .filter(Objects::nonNull)
                        .max(Double::compare)
                        .orElse(null);
        return new CellResult(
                variant + "-" + depth + "-seed" + seed,
                variant,
                depth,
                seed,
                CellResult.FINISHED,
                null,
                protocol,
                100,
                "cpu()",
                epochs,
                last.testAccuracy(),
                best.testAccuracy(),
                best.epoch(),
                last.preciseBnTestAccuracy(),
                bestPrecise,
                60,
                norms,
                null,
                List.of(),
                sessions,
                List.of());
    }
}
