package io.github.depthsweep.experiments.report;

import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.io.AtomicFiles;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.EpochResult;
import io.github.depthsweep.experiments.run.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes {@code results.md} (the seed's table, ours beside it) and {@code results.csv} (one row per
 * cell) from recorded cells.
 */
public final class ResultsTable {

    /** The seed's test accuracies, by variant and depth (docs/protocol.md). */
    static final Map<String, Map<Integer, Double>> KERAS_TUTORIAL =
            Map.of(
                    "plain", Map.of(12, 0.8809, 20, 0.8720, 32, 0.8461, 50, 0.2374),
                    "residual", Map.of(12, 0.8943, 20, 0.8884, 32, 0.8943, 50, 0.8609));

    /** The first line of {@code results.csv}: one row per cell follows. */
    public static final String CSV_HEADER =
            "variant,depth,seed,epochs,params,final_test_accuracy,best_test_accuracy,best_epoch,"
                    + "train_seconds,final_precise_bn_accuracy,best_precise_bn_accuracy,status,"
                    + "wall_seconds";

    private ResultsTable() {}

    /**
     * Writes both files into {@code folder}.
     *
     * @param results the cells
     * @param folder where to write
     * @throws IOException if a file cannot be written
     */
    public static void write(List<CellResult> results, Path folder) throws IOException {
        AtomicFiles.write(folder.resolve("results.csv"), bytes(csv(results)));
        AtomicFiles.write(folder.resolve("results.md"), bytes(markdown(results)));
    }

    static String csv(List<CellResult> results) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (CellResult r : results) {
            out.append(
                            String.join(
                                    ",",
                                    r.variant(),
                                    Integer.toString(r.depth()),
                                    Integer.toString(r.seed()),
                                    Integer.toString(r.epochs().size()),
                                    Long.toString(r.parameters()),
                                    number(r.finalTestAccuracy()),
                                    number(r.bestTestAccuracy()),
                                    r.bestEpoch() == null ? "" : r.bestEpoch().toString(),
                                    String.format(Locale.ROOT, "%.1f", r.trainSeconds()),
                                    number(r.finalPreciseBnAccuracy()),
                                    number(r.bestPreciseBnAccuracy()),
                                    r.status(),
                                    r.wallTime()
                                            .map(wall -> Long.toString(wall.toSeconds()))
                                            .orElse("")))
                    .append('\n');
        }
        return out.toString();
    }

    /** The plots that {@link Plots#write} makes of these results, shown inline. */
    private static String plots(List<CellResult> results) {
        List<CellResult> finished = results.stream().filter(CellResult::finished).toList();
        if (finished.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n## Plots\n");
        for (Measure measure : Measure.values()) {
            if (finished.stream().anyMatch(r -> measure.finalAccuracy(r) != null)) {
                out.append('\n').append(Plots.PerMeasure.BY_DEPTH.link(measure)).append('\n');
            }
        }
        out.append("\n![Test accuracy per epoch](accuracy_per_epoch.png)\n");
        if (SeedStatistics.severalSeeds(results)) {
            for (Measure measure : Measure.values()) {
                if (finished.stream().anyMatch(measure::everyEpoch)) {
                    out.append('\n').append(Plots.PerMeasure.OVER_SEEDS.link(measure)).append('\n');
                }
            }
        }
        for (String variant : List.of("plain", "residual")) {
            if (finished.stream()
                    .noneMatch(
                            r ->
                                    r.variant().equals(variant)
                                            && !r.gradientNorms().steps().isEmpty())) {
                continue;
            }
            out.append(
                    String.format(
                            "%n![Gradient norms per stage, deepest %s net](gradient_norms_%s.png)%n",
                            variant, variant));
        }
        if (finished.stream().anyMatch(Plots::hasFirstStage)) {
            out.append(
                    String.format(
                            "%n![Gradient norm of stage 1, every cell](%s)%n",
                            Plots.FIRST_STAGE_GRADIENTS));
        }
        return out.toString();
    }

    static String markdown(List<CellResult> results) {
        StringBuilder out = new StringBuilder("# depthsweep results\n\n");
        List<Protocol> protocols = results.stream().map(CellResult::protocol).distinct().toList();
        for (Protocol p : protocols) {
            out.append("Protocol: ").append(p.describe()).append(".\n");
        }
        long failed = results.stream().filter(r -> !r.finished()).count();
        out.append(
                String.format(
                        "%nCells: %d, of which %d failed. Accuracies are test accuracies in %%;"
                                + " \"a ± b (n)\" is the mean and standard deviation over n seeds."
                                + "%n",
                        results.size(), failed));
        boolean precise = results.stream().anyMatch(r -> r.finalPreciseBnAccuracy() != null);
        boolean shortRun = protocols.stream().anyMatch(p -> p.epochs() * p.stepsPerEpoch() < 2000);
        if (precise && shortRun) {
            out.append(
                    "\nThis is a short run: with the seed's BatchNorm momentum (0.99) the moving"
                            + " statistics lag far behind the weights for hundreds of steps, so the"
                            + " seed-faithful accuracy (\"as trained\") sits near chance. Judge it by"
                            + " the precise-BN table, which re-estimates the statistics from"
                            + " training batches without touching the weights.\n");
        }
        if (precise) {
            section(
                    out,
                    "After precise BN, final epoch",
                    results,
                    CellResult::finalPreciseBnAccuracy,
                    false);
            section(
                    out,
                    "After precise BN, best epoch",
                    results,
                    CellResult::bestPreciseBnAccuracy,
                    false);
        }
        section(
                out,
                "As trained (the seed's measure), final epoch",
                results,
                CellResult::finalTestAccuracy,
                true);
        section(
                out,
                "As trained (the seed's measure), best epoch",
                results,
                CellResult::bestTestAccuracy,
                true);
        if (SeedStatistics.severalSeeds(results)) {
            out.append(
                    String.format(
                            "%n## Over seeds%n%nSome cells ran with several seeds: each cell's"
                                    + " spread, the seed's figure against a 95%% prediction"
                                    + " interval, and the residual − plain gap with its 95%%"
                                    + " confidence interval are in [%s](%s).%n",
                            SeedStatistics.FILE, SeedStatistics.FILE));
        }
        out.append(plots(results));
        out.append(GradientTable.markdown(results));
        out.append(
                "\n## Cells\n\n\"train s\" counts the training steps only; \"wall\" is the"
                        + " time from each session's start to its last save, evaluation and"
                        + " pauses included (- where not recorded).\n\n"
                        + "| cell | params | epochs | final | best (epoch) | final precise BN |"
                        + " best precise BN | train s | wall | img/s (median epoch) | sessions (CPU)"
                        + " | status |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (CellResult r : results) {
            // The median, not the mean: an epoch slowed by other work or a pause does not move it.
            double imagesPerSecond =
                    r.epochs().isEmpty()
                            ? 0
                            : Median.of(
                                    r.epochs().stream()
                                            .mapToDouble(EpochResult::trainImagesPerSecond)
                                            .toArray());
            out.append(
                    String.format(
                            "| %s | %,d | %d | %s | %s | %s | %s | %.0f | %s | %.0f | %s | %s |%n",
                            r.id(),
                            r.parameters(),
                            r.epochs().size(),
                            percent(r.finalTestAccuracy()),
                            r.bestEpoch() == null
                                    ? "-"
                                    : percent(r.bestTestAccuracy()) + " (" + r.bestEpoch() + ")",
                            percent(r.finalPreciseBnAccuracy()),
                            percent(r.bestPreciseBnAccuracy()),
                            r.trainSeconds(),
                            r.wallTime().map(ResultsTable::hoursAndMinutes).orElse("-"),
                            imagesPerSecond,
                            sessions(r),
                            r.finished() ? r.status() : r.status() + ": " + r.failure()));
        }
        return out.toString();
    }

    /**
     * How many processes trained a cell, and on which CPUs: more than one where it was resumed.
     *
     * @return e.g. {@code 3 (AMD EPYC (family 26 model 2))}, or {@code -} for cells recorded before
     *     sessions were
     */
    static String sessions(CellResult r) {
        if (r.sessions() == null || r.sessions().isEmpty()) {
            return "-";
        }
        String cpus =
                r.sessions().stream()
                        .map(session -> session.machine().cpu())
                        .distinct()
                        .collect(Collectors.joining(", "));
        return r.sessions().size() + " (" + cpus + ")";
    }

    /** One table: rows are variants (ours, then the seed's), columns the depths. */
    private static void section(
            StringBuilder out,
            String title,
            List<CellResult> results,
            Function<CellResult, Double> accuracy,
            boolean withSeed) {
        TreeSet<Integer> depths = new TreeSet<>();
        results.forEach(r -> depths.add(r.depth()));
        Map<String, Map<Integer, List<Double>>> byVariant =
                SeedStatistics.byVariantAndDepth(results, accuracy);
        out.append("\n## ").append(title).append("\n\n| variant |");
        depths.forEach(d -> out.append(' ').append(d).append(" |"));
        out.append("\n|---|").append("---:|".repeat(depths.size())).append('\n');
        for (Map.Entry<String, Map<Integer, List<Double>>> row : byVariant.entrySet()) {
            out.append("| ").append(row.getKey()).append(" (ours) |");
            for (int depth : depths) {
                out.append(' ').append(meanAndSpread(row.getValue().get(depth))).append(" |");
            }
            out.append('\n');
            Map<Integer, Double> seed = KERAS_TUTORIAL.get(row.getKey());
            if (withSeed && seed != null && depths.stream().anyMatch(seed::containsKey)) {
                out.append("| ").append(row.getKey()).append(" (seed) |");
                for (int depth : depths) {
                    out.append(' ').append(percent(seed.get(depth))).append(" |");
                }
                out.append('\n');
            }
        }
    }

    /** Whether a run trained with the seed's own settings, so that its numbers compare. */
    static boolean isPaperProtocol(Protocol p) {
        return p.dataset().equals(Datasets.FASHION_MNIST.name())
                && p.epochs() == 25
                && p.batchSize() == 150
                && p.trainLimit() == 60_000
                && p.testLimit() == 10_000;
    }

    /**
     * The mean and standard deviation over seeds, in %, e.g. {@code 88.59 ± 0.49 (3)}; one seed's
     * figure alone.
     */
    static String meanAndSpread(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return "-";
        }
        SeedStatistics.Summary summary = SeedStatistics.Summary.of(values);
        if (summary.n() == 1) {
            return String.format("%.2f", 100 * summary.mean());
        }
        return String.format(
                "%.2f ± %.2f (%d)", 100 * summary.mean(), 100 * summary.sd(), summary.n());
    }

    /** A duration as hours and minutes, e.g. {@code 1:07}. */
    static String hoursAndMinutes(Duration time) {
        return String.format("%d:%02d", time.toHours(), time.toMinutesPart());
    }

    private static String percent(Double value) {
        return value == null ? "-" : String.format("%.2f", 100 * value);
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
