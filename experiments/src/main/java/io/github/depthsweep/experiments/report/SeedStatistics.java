package io.github.depthsweep.experiments.report;

import io.github.depthsweep.core.io.AtomicFiles;
import io.github.depthsweep.experiments.run.CellResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Writes {@value #FILE}: what several seeds per cell say that one cannot. One run of a cell is one
 * draw from the spread that the random seed causes, so a difference between two single runs may be
 * noise. With several seeds per cell this report says, from the final epoch of each seed:
 *
 * <ul>
 *   <li>each cell's spread (n, min-max) and the 95% prediction interval for one new run, mean ±
 *       t(n-1) · sd · sqrt(1 + 1/n), with whether the tutorial's single figure lies inside it: a
 *       figure outside is further from ours than our own seeds are from each other;
 *   <li>the residual − plain gap per depth with its 95% confidence interval (Welch's, which does
 *       not assume the two variants spread alike), and from which depth on it excludes 0: the
 *       finding, with its uncertainty.
 * </ul>
 *
 * <p>The mean ± sd of each cell stays in {@code results.md}'s final-epoch tables, which link here;
 * a cell with one seed has no interval, and the tables say so. The quantiles come from Commons
 * Math's t distribution.
 */
public final class SeedStatistics {

    /** The report's file in a run folder. */
    public static final String FILE = "seeds.md";

    /** The coverage of every interval here. */
    static final double LEVEL = 0.95;

    /**
     * How both cell tables' prediction intervals are made, and why a two-seed one is so much wider
     * than a three-seed one, for the reader.
     */
    private static final String PREDICTION_INTERVAL =
            String.format(
                    Locale.ROOT,
                    "mean ± t(n-1) · sd · sqrt(1 + 1/n), clipped to 0 – 100%%. Two seeds give wide"
                            + " intervals (t(1) = %.2f); three narrow them (t(2) = %.2f).",
                    tQuantile(1),
                    tQuantile(2));

    private SeedStatistics() {}

    /**
     * Writes {@value #FILE} into {@code folder} where some cell ran with more than one seed;
     * otherwise there is nothing to add to {@code results.md}.
     *
     * @param results the cells
     * @param folder where to write
     * @throws IOException if the file cannot be written
     */
    public static void write(List<CellResult> results, Path folder) throws IOException {
        if (severalSeeds(results)) {
            AtomicFiles.write(
                    folder.resolve(FILE), markdown(results).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Returns whether some variant and depth finished with more than one seed.
     *
     * @param results the cells
     * @return true if any cell's statistics have n above 1
     */
    static boolean severalSeeds(List<CellResult> results) {
        return results.stream()
                .filter(CellResult::finished)
                .collect(Collectors.groupingBy(r -> r.variant() + "-" + r.depth()))
                .values()
                .stream()
                .anyMatch(seeds -> seeds.size() > 1);
    }

    /**
     * A cell's accuracies over its seeds.
     *
     * @param n how many seeds
     * @param mean their mean
     * @param sd their sample standard deviation (n - 1 in the denominator; 0 for one seed)
     * @param min the lowest
     * @param max the highest
     */
    record Summary(int n, double mean, double sd, double min, double max) {

        /**
         * Summarizes some values.
         *
         * @param values at least one
         * @return their summary
         */
        static Summary of(Collection<Double> values) {
            DescriptiveStatistics statistics = new DescriptiveStatistics();
            values.forEach(statistics::addValue);
            return new Summary(
                    values.size(),
                    statistics.getMean(),
                    statistics.getStandardDeviation(),
                    statistics.getMin(),
                    statistics.getMax());
        }

        /**
         * Returns where one new run would land with probability {@link #LEVEL}, if runs spread
         * normally: mean ± t(n-1) · sd · sqrt(1 + 1/n). Wider than the mean's confidence interval
         * because a new run brings its own noise as well as our mean's uncertainty. The normal
         * model knows nothing of an accuracy's range, so the ends are clipped to 0 – 100%: with two
         * seeds (t(1) = 12.71) a residual-50 interval otherwise reached 103%.
         *
         * @return the interval, or empty for one seed, which has no spread to judge from
         */
        Optional<Interval> predictionInterval() {
            if (n < 2) {
                return Optional.empty();
            }
            double half = tQuantile(n - 1) * sd * Math.sqrt(1 + 1.0 / n);
            return Optional.of(new Interval(Math.max(0, mean - half), Math.min(1, mean + half)));
        }
    }

    /**
     * A closed interval.
     *
     * @param low its lower end
     * @param high its upper end
     */
    record Interval(double low, double high) {

        boolean contains(double value) {
            return low <= value && value <= high;
        }

        /** Whether the difference it bounds is distinguishable from none. */
        boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /**
     * Returns the two-sided t quantile for {@link #LEVEL}, e.g. t(0.975, df) for 95%.
     *
     * @param degreesOfFreedom the degrees of freedom, above 0 (not necessarily whole)
     * @return the quantile
     */
    static double tQuantile(double degreesOfFreedom) {
        return new TDistribution(degreesOfFreedom)
                .inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
    }

    /**
     * Returns Welch's confidence interval for {@code b.mean - a.mean}: the difference ± t(ν) ·
     * sqrt(sa²/na + sb²/nb), with ν from the Welch–Satterthwaite equation. Welch's rather than
     * Student's because the variants need not spread alike: a plain net that sometimes stalls
     * spreads far more than a residual one.
     *
     * @param a the first sample, e.g. plain
     * @param b the second, e.g. residual
     * @return the interval, or empty unless both have at least two seeds
     */
    static Optional<Interval> welch(Summary a, Summary b) {
        if (a.n() < 2 || b.n() < 2) {
            return Optional.empty();
        }
        double difference = b.mean() - a.mean();
        double va = a.sd() * a.sd() / a.n();
        double vb = b.sd() * b.sd() / b.n();
        if (va + vb == 0) {
            // No spread in either: the difference is what it is (and ν would be 0/0).
            return Optional.of(new Interval(difference, difference));
        }
        double degrees = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double half = tQuantile(degrees) * Math.sqrt(va + vb);
        return Optional.of(new Interval(difference - half, difference + half));
    }

    /**
     * Groups the cells' accuracies by variant and then depth; a variant and depth whose accuracy
     * was not measured gets an empty list, so that every table has the same rows and columns.
     *
     * @param results the cells
     * @param accuracy which accuracy
     * @return variant → depth → the accuracies of its seeds, both sorted
     */
    static Map<String, Map<Integer, List<Double>>> byVariantAndDepth(
            List<CellResult> results, Function<CellResult, Double> accuracy) {
        Map<String, Map<Integer, List<Double>>> byVariant = new TreeMap<>();
        for (CellResult r : results) {
            List<Double> values =
                    byVariant
                            .computeIfAbsent(r.variant(), v -> new TreeMap<>())
                            .computeIfAbsent(r.depth(), d -> new ArrayList<>());
            if (accuracy.apply(r) != null) {
                values.add(accuracy.apply(r));
            }
        }
        return byVariant;
    }

    static String markdown(List<CellResult> results) {
        List<Measure> measures =
                List.of(Measure.values()).stream()
                        .filter(m -> results.stream().anyMatch(r -> m.finalAccuracy(r) != null))
                        .toList();
        StringBuilder out = new StringBuilder("# depthsweep results over seeds\n\n");
        out.append(
                "Final epoch, test accuracies in %. Each seed of a cell is one draw from the"
                        + " spread that training's randomness causes; this page says which"
                        + " differences are larger than that spread. The mean ± sd of each cell"
                        + " are in [results.md](results.md)'s final-epoch tables. A cell with one"
                        + " seed has no interval: it cannot show its spread. \"The tutorial's\""
                        + " figures are the Keras tutorial's single runs (the \"seed\" rows of"
                        + " results.md).\n");
        boolean tutorial =
                results.stream().map(CellResult::protocol).allMatch(ResultsTable::isPaperProtocol);
        for (Measure measure : measures) {
            cells(out, results, measure, tutorial && measure == Measure.AS_TRAINED);
        }
        gap(out, results, measures);
        out.append("\n## Plots\n\n");
        for (Measure measure : measures) {
            out.append(Plots.PerMeasure.BY_DEPTH.link(measure)).append("\n\n");
        }
        out.append("More in [results.md](results.md#plots).\n");
        return out.toString();
    }

    /** One row per variant and depth: the spread of its seeds and, where asked, the tutorial's. */
    private static void cells(
            StringBuilder out, List<CellResult> results, Measure measure, boolean tutorial) {
        out.append(String.format("%n## Each cell, %s%n%n", measure.label));
        if (tutorial) {
            out.append(
                    "The 95% prediction interval is where one new run of ours would land, from our"
                            + " seeds: "
                            + PREDICTION_INTERVAL
                            + " A tutorial's figure outside its interval is further from ours than"
                            + " our seeds are from each other.\n\n"
                            + "| cell | n | min – max | 95% prediction interval | the tutorial's |"
                            + " inside? |\n|---|---:|---:|---:|---:|---|\n");
        } else {
            out.append(
                    "The 95% prediction interval is where one new run would land, from these"
                            + " seeds: "
                            + PREDICTION_INTERVAL
                            + "\n\n"
                            + "| cell | n | min – max | 95% prediction interval |\n"
                            + "|---|---:|---:|---:|\n");
        }
        for (Map.Entry<String, Map<Integer, List<Double>>> variant :
                byVariantAndDepth(results, measure::finalAccuracy).entrySet()) {
            for (Map.Entry<Integer, List<Double>> depth : variant.getValue().entrySet()) {
                if (depth.getValue().isEmpty()) {
                    continue;
                }
                Summary summary = Summary.of(depth.getValue());
                Optional<Interval> interval = summary.predictionInterval();
                out.append(
                        String.format(
                                "| %s-%d | %d | %s | %s |",
                                variant.getKey(),
                                depth.getKey(),
                                summary.n(),
                                summary.n() == 1
                                        ? percent(summary.min())
                                        : percent(summary.min()) + " – " + percent(summary.max()),
                                interval.map(SeedStatistics::range).orElse("none (one seed)")));
                if (tutorial) {
                    Double figure =
                            ResultsTable.KERAS_TUTORIAL
                                    .getOrDefault(variant.getKey(), Map.of())
                                    .get(depth.getKey());
                    out.append(
                            String.format(
                                    " %s | %s |",
                                    figure == null ? "-" : percent(figure),
                                    figure == null ? "-" : mark(interval, figure)));
                }
                out.append('\n');
            }
        }
    }

    /** Whether a figure lies inside an interval, in words, or why it cannot be said. */
    static String mark(Optional<Interval> interval, double figure) {
        if (interval.isEmpty()) {
            return "no interval";
        }
        return interval.get().contains(figure) ? "inside" : "**outside**";
    }

    /** The residual − plain gap per depth, each measure a column, and where it is real. */
    private static void gap(StringBuilder out, List<CellResult> results, List<Measure> measures) {
        out.append(
                "\n## The gap: residual − plain, per depth\n\n"
                        + "The mean difference in points and its 95% confidence interval (Welch's,"
                        + " which does not assume the variants spread alike; degrees of freedom by"
                        + " Welch–Satterthwaite), and how many seeds of plain and of residual. An"
                        + " interval that excludes 0 says the gap is larger than the seeds' noise.\n\n"
                        + "| depth |");
        measures.forEach(m -> out.append(' ').append(m.label).append(" |"));
        out.append("\n|---:|").append("---:|".repeat(measures.size())).append('\n');
        TreeSet<Integer> depths = new TreeSet<>();
        results.forEach(r -> depths.add(r.depth()));
        Map<Measure, Map<Integer, Optional<Interval>>> intervals = new TreeMap<>();
        for (int depth : depths) {
            out.append("| ").append(depth).append(" |");
            for (Measure measure : measures) {
                Map<String, Map<Integer, List<Double>>> values =
                        byVariantAndDepth(results, measure::finalAccuracy);
                List<Double> plain = values.getOrDefault("plain", Map.of()).get(depth);
                List<Double> residual = values.getOrDefault("residual", Map.of()).get(depth);
                if (plain == null || plain.isEmpty() || residual == null || residual.isEmpty()) {
                    out.append(" - |");
                    continue;
                }
                Summary a = Summary.of(plain);
                Summary b = Summary.of(residual);
                Optional<Interval> interval = welch(a, b);
                intervals.computeIfAbsent(measure, m -> new TreeMap<>()).put(depth, interval);
                out.append(
                        String.format(
                                Locale.ROOT,
                                " %+.2f %s n = %d, %d |",
                                100 * (b.mean() - a.mean()),
                                interval.map(
                                                i ->
                                                        String.format(
                                                                Locale.ROOT,
                                                                "[%+.2f, %+.2f]",
                                                                100 * i.low(),
                                                                100 * i.high()))
                                        .orElse("no interval:"),
                                a.n(),
                                b.n()));
            }
            out.append('\n');
        }
        for (Map.Entry<Measure, Map<Integer, Optional<Interval>>> measure : intervals.entrySet()) {
            out.append('\n').append(verdict(measure.getKey(), measure.getValue())).append('\n');
        }
    }

    /**
     * Says from which depth on the gap is distinguishable from zero: the shallowest depth from
     * which every deeper one has an interval that excludes 0, and any shallower depth whose
     * interval excludes 0 besides. A depth without an interval (a variant with one seed) cannot be
     * judged, so no claim reaches past it; it is named instead.
     *
     * @param measure the measure, for the sentence
     * @param byDepth depth → the gap's interval, empty where a variant has one seed
     * @return one sentence or two
     */
    static String verdict(Measure measure, Map<Integer, Optional<Interval>> byDepth) {
        TreeMap<Integer, Optional<Interval>> sorted = new TreeMap<>(byDepth);
        Integer from = null;
        for (Map.Entry<Integer, Optional<Interval>> depth : sorted.descendingMap().entrySet()) {
            if (depth.getValue().isEmpty() || !depth.getValue().get().excludesZero()) {
                break;
            }
            from = depth.getKey();
        }
        List<Integer> distinct = new ArrayList<>();
        List<Integer> notDistinct = new ArrayList<>();
        List<Integer> unjudged = new ArrayList<>();
        sorted.forEach(
                (depth, interval) ->
                        (interval.isEmpty()
                                        ? unjudged
                                        : interval.get().excludesZero() ? distinct : notDistinct)
                                .add(depth));
        String sentence;
        if (from != null) {
            int deepest = from;
            List<Integer> shallower = distinct.stream().filter(d -> d < deepest).toList();
            sentence =
                    "the gap is distinguishable from zero (its 95% interval excludes 0) from depth "
                            + from
                            + " on"
                            + (shallower.isEmpty() ? "" : ", and at depth " + depths(shallower))
                            + ".";
        } else if (!distinct.isEmpty()) {
            sentence =
                    "the gap's 95% interval excludes 0 at depth "
                            + depths(distinct)
                            + (notDistinct.isEmpty() ? "" : ", not at depth " + depths(notDistinct))
                            + ".";
        } else if (!notDistinct.isEmpty()) {
            sentence = "the gap is distinguishable from zero at no depth with an interval.";
        } else {
            sentence = "no depth has two seeds of each variant yet.";
        }
        if (!unjudged.isEmpty() && unjudged.size() < sorted.size()) {
            sentence += " Not judged yet (one seed of a variant): depth " + depths(unjudged) + ".";
        }
        return Character.toUpperCase(measure.label.charAt(0))
                + measure.label.substring(1)
                + ", "
                + sentence;
    }

    private static String depths(List<Integer> depths) {
        return depths.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String range(Interval interval) {
        return percent(interval.low()) + " – " + percent(interval.high());
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f", 100 * value);
    }
}
