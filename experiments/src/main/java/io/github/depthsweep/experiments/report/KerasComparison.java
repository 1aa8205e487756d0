package io.github.depthsweep.experiments.report;

import io.github.depthsweep.core.io.AtomicFiles;
import io.github.depthsweep.experiments.report.SeedStatistics.Interval;
import io.github.depthsweep.experiments.report.SeedStatistics.Summary;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;

/**
 * Writes {@value #FILE} and {@value #PLOT}: depthsweep against the seed's own Keras code ({@code
 * experiments/peer/peer_keras.py train}) under one protocol, cell by cell. For each variant and
 * depth that Keras trained: the final test accuracy of each framework over its seeds (mean ± sd),
 * the difference of the means, Keras − depthsweep, with its 95% confidence interval (Welch's, as
 * {@link SeedStatistics} gives the residual − plain gap), and whether the two are distinguishable
 * at these seeds; then the test accuracy per epoch of both, overlaid. Keras runs still training are
 * listed with their epoch and left out of the statistics. The report is rewritten whole each time.
 */
public final class KerasComparison {

    /** The report's page. */
    public static final String FILE = "comparison.md";

    /** The report's chart: test accuracy per epoch, both frameworks. */
    public static final String PLOT = "accuracy_per_epoch_keras.png";

    private KerasComparison() {}

    /**
     * The comparison of one variant and depth.
     *
     * @param variant the variant
     * @param depth the depth
     * @param keras the final test accuracies of the finished Keras runs, by seed
     * @param ours those of depthsweep's finished cells, by seed
     */
    record Row(String variant, int depth, List<Double> keras, List<Double> ours) {

        /** The cell's name, e.g. {@code plain-50}. */
        String cell() {
            return variant + "-" + depth;
        }

        /** Keras's summary, or empty before a Keras run has finished. */
        Optional<Summary> kerasSummary() {
            return keras.isEmpty() ? Optional.empty() : Optional.of(Summary.of(keras));
        }

        /** depthsweep's summary, or empty where the run compared against lacks the cell. */
        Optional<Summary> oursSummary() {
            return ours.isEmpty() ? Optional.empty() : Optional.of(Summary.of(ours));
        }

        /** Keras's mean − depthsweep's, or empty unless both have a value. */
        Optional<Double> difference() {
            if (keras.isEmpty() || ours.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Summary.of(keras).mean() - Summary.of(ours).mean());
        }

        /** The 95% Welch interval of Keras − depthsweep, or empty unless 2 seeds a side. */
        Optional<Interval> interval() {
            if (keras.isEmpty() || ours.isEmpty()) {
                return Optional.empty();
            }
            return SeedStatistics.welch(Summary.of(ours), Summary.of(keras));
        }
    }

    /**
     * Writes {@value #FILE} and {@value #PLOT} into {@code folder}, replacing older ones; where no
     * Keras run has an epoch to draw, an older {@value #PLOT} is deleted rather than left stale.
     *
     * @param keras the Keras runs, finished or still training
     * @param ours depthsweep's cells of the run compared against
     * @param protocol depthsweep's protocol, whose epoch count the Keras runs were checked against
     * @param command the command that made the report, shown on its page
     * @param folder where to write
     * @throws IOException if a file cannot be written
     */
    public static void write(
            List<KerasRun> keras,
            List<CellResult> ours,
            Protocol protocol,
            String command,
            Path folder)
            throws IOException {
        Files.createDirectories(folder);
        XYChart chart = Plots.accuracyAgainstKeras(ours, keras);
        boolean plotted = !chart.getSeriesMap().isEmpty();
        if (plotted) {
            Plots.save(chart, folder.resolve(PLOT));
        } else {
            Files.deleteIfExists(folder.resolve(PLOT));
        }
        AtomicFiles.write(
                folder.resolve(FILE),
                markdown(keras, ours, protocol, command, plotted).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Compares each variant and depth that Keras trained, finished or not: plain first, shallowest
     * first.
     *
     * @param keras the Keras runs
     * @param ours depthsweep's cells
     * @return one row per variant and depth
     */
    static List<Row> rows(List<KerasRun> keras, List<CellResult> ours) {
        Map<String, Map<Integer, List<KerasRun>>> cells = KerasRun.byCell(keras);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, List<KerasRun>>> variant : cells.entrySet()) {
            for (Map.Entry<Integer, List<KerasRun>> depth : variant.getValue().entrySet()) {
                List<Double> kerasFinals =
                        depth.getValue().stream()
                                .sorted(Comparator.comparingInt(KerasRun::seed))
                                .map(KerasRun::finalTestAccuracy)
                                .filter(Objects::nonNull)
                                .toList();
                List<Double> ourFinals =
                        ours.stream()
                                .filter(CellResult::finished)
                                .filter(r -> r.variant().equals(variant.getKey()))
                                .filter(r -> r.depth() == depth.getKey())
                                .sorted(Comparator.comparingInt(CellResult::seed))
                                .map(CellResult::finalTestAccuracy)
                                .toList();
                rows.add(new Row(variant.getKey(), depth.getKey(), kerasFinals, ourFinals));
            }
        }
        return rows;
    }

    /**
     * Says what a row shows, in one sentence: which framework is higher and by how much where the
     * interval excludes 0, else that the two are not distinguishable at these seeds, or why it
     * cannot be judged yet.
     *
     * @param row the row
     * @return the sentence
     */
    static String verdict(Row row) {
        String cell = row.cell() + ": ";
        if (row.keras().isEmpty()) {
            return cell + "no Keras run has finished yet.";
        }
        if (row.ours().isEmpty()) {
            return cell + "the depthsweep run compared against has no finished " + row.cell() + ".";
        }
        Optional<Interval> interval = row.interval();
        double difference = row.difference().orElseThrow();
        if (interval.isEmpty()) {
            return String.format(
                    Locale.ROOT,
                    "%snot judged yet: an interval needs 2 finished seeds a side (Keras has %d,"
                            + " depthsweep %d); the difference so far is %s points.",
                    cell,
                    row.keras().size(),
                    row.ours().size(),
                    points(difference));
        }
        if (interval.get().excludesZero()) {
            return String.format(
                    Locale.ROOT,
                    "%sdistinguishable at these seeds: %s is higher, by %.2f points (95%% interval"
                            + " of Keras − depthsweep %s, which excludes 0).",
                    cell,
                    difference > 0 ? "Keras" : "depthsweep",
                    100 * Math.abs(difference),
                    interval(interval.get()));
        }
        return String.format(
                Locale.ROOT,
                "%snot distinguishable at these seeds: the difference, %s points, lies within the"
                        + " seeds' noise (95%% interval %s, which holds 0).",
                cell,
                points(difference),
                interval(interval.get()));
    }

    /**
     * Returns the page.
     *
     * @param keras the Keras runs
     * @param ours depthsweep's cells
     * @param protocol depthsweep's protocol
     * @param command the command that made it
     * @param plotted whether {@value #PLOT} was drawn
     * @return the Markdown
     */
    static String markdown(
            List<KerasRun> keras,
            List<CellResult> ours,
            Protocol protocol,
            String command,
            boolean plotted) {
        int epochs = protocol.epochs();
        StringBuilder out = new StringBuilder("# depthsweep against the seed's Keras code\n\n");
        out.append(
                String.format(
                        Locale.ROOT,
                        "The same nets and protocol trained by depthsweep and by the seed's own Keras"
                                + " code (`experiments/peer/peer_keras.py train`), cell by cell."
                                + " Final test accuracy after epoch %d, in %%; the mean ± sd over"
                                + " each framework's finished seeds. The difference is Keras −"
                                + " depthsweep, in points, with its 95%% confidence interval"
                                + " (Welch's, which does not assume both frameworks spread alike;"
                                + " degrees of freedom by Welch–Satterthwaite): an interval that"
                                + " excludes 0 says the frameworks differ by more than their seeds"
                                + " do. Keras runs still training are listed below and left out"
                                + " of the statistics.\n\n",
                        epochs));
        List<Row> rows = rows(keras, ours);
        if (rows.isEmpty()) {
            out.append("No Keras runs yet.\n");
        } else {
            out.append(
                    "| cell | Keras n | Keras, mean ± sd | depthsweep n | depthsweep, mean ± sd |"
                            + " Keras − depthsweep | 95% interval |\n"
                            + "|---|---:|---:|---:|---:|---:|---:|\n");
            for (Row row : rows) {
                out.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %d | %s | %d | %s | %s | %s |%n",
                                row.cell(),
                                row.keras().size(),
                                row.kerasSummary().map(KerasComparison::meanSd).orElse("-"),
                                row.ours().size(),
                                row.oursSummary().map(KerasComparison::meanSd).orElse("-"),
                                row.difference().map(KerasComparison::points).orElse("-"),
                                row.difference().isEmpty()
                                        ? "-"
                                        : row.interval()
                                                .map(KerasComparison::interval)
                                                .orElse("needs 2 seeds a side")));
            }
            out.append('\n');
            for (Row row : rows) {
                out.append("- ").append(verdict(row)).append('\n');
            }
        }
        if (plotted) {
            out.append("\n## Test accuracy per epoch\n\n")
                    .append("![Test accuracy per epoch, depthsweep against Keras](")
                    .append(PLOT)
                    .append(")\n\nSolid: depthsweep's mean over its seeds; dashed: the mean of the")
                    .append(" finished Keras runs; dotted: each Keras run, runs still training")
                    .append(" included.\n");
        }
        runs(out, keras, epochs);
        made(out, keras, protocol, command);
        return out.toString();
    }

    /** Every Keras run: finished with its final accuracy, or still training at its epoch. */
    private static void runs(StringBuilder out, List<KerasRun> keras, int epochs) {
        if (keras.isEmpty()) {
            return;
        }
        out.append("\n## The Keras runs\n\n")
                .append(
                        "| run | status | final test accuracy | training time | machine | finished |\n")
                .append("|---|---|---:|---:|---|---|\n");
        for (KerasRun run :
                keras.stream()
                        .sorted(
                                Comparator.comparing(KerasRun::variant)
                                        .thenComparingInt(KerasRun::depth)
                                        .thenComparingInt(KerasRun::seed))
                        .toList()) {
            if (run.finished()) {
                out.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | finished, %d epochs | %s | %s | %s | %s |%n",
                                run.id(),
                                run.result().epochs(),
                                percent(run.finalTestAccuracy()),
                                run.result().seconds() == null
                                        ? "-"
                                        : String.format(
                                                Locale.ROOT,
                                                "%.1f h",
                                                run.result().seconds() / 3600),
                                orDash(run.result().machine()),
                                orDash(run.result().finished())));
            } else {
                out.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | training, epoch %d of %d | - | - | - | - |%n",
                                run.id(),
                                run.epochs().size(),
                                epochs));
            }
        }
    }

    /** How the figures were made: the commands, the versions, the protocol. */
    private static void made(
            StringBuilder out, List<KerasRun> keras, Protocol protocol, String command) {
        Map<String, List<String>> versions = new TreeMap<>();
        keras.stream()
                .filter(KerasRun::finished)
                .sorted(Comparator.comparing(KerasRun::id))
                .forEach(
                        run ->
                                versions.computeIfAbsent(
                                                String.valueOf(run.result().versions()),
                                                v -> new ArrayList<>())
                                        .add(run.id()));
        out.append("\n## How these figures were made\n\n")
                .append("- Keras: `python experiments/peer/peer_keras.py train DEPTH VARIANT")
                .append(" --seed S --epochs ")
                .append(protocol.epochs())
                .append(" --out RUNS/VARIANT-DEPTH-seedS`, on the real Fashion-MNIST; versions")
                .append(" (from result.json): ");
        if (versions.isEmpty()) {
            out.append("none finished yet");
        } else if (versions.size() == 1) {
            out.append('`').append(versions.keySet().iterator().next()).append('`');
        } else {
            out.append(
                    versions.entrySet().stream()
                            .map(
                                    v ->
                                            "`"
                                                    + v.getKey()
                                                    + "` ("
                                                    + String.join(", ", v.getValue())
                                                    + ")")
                            .collect(Collectors.joining("; ")));
        }
        out.append(".\n- depthsweep: ")
                .append(protocol.describe())
                .append(
                        ResultsTable.isPaperProtocol(protocol)
                                ? " (the seed's protocol)"
                                : " (**not** the seed's protocol, which the Keras runs follow)")
                .append(".\n- This page and its plot: `")
                .append(command)
                .append("`.\n- Machines and dates: the Keras runs' in the table above (from")
                .append(
                        " their result.json); depthsweep's in its run's RUN.md and cell records.\n");
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static String meanSd(Summary summary) {
        return summary.n() < 2
                ? percent(summary.mean())
                : percent(summary.mean()) + " ± " + percent(summary.sd());
    }

    private static String interval(Interval interval) {
        return "[" + points(interval.low()) + ", " + points(interval.high()) + "]";
    }

    /** A difference in percentage points, signed. */
    private static String points(double difference) {
        return String.format(Locale.ROOT, "%+.2f", 100 * difference);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f", 100 * value);
    }
}
