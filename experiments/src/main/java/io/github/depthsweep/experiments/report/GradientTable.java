package io.github.depthsweep.experiments.report;

import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.GradientNorms;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The gradient-norm plots in numbers: for every cell, each part's median gradient norm early in
 * training (the first 1% of its steps) and late (the last 10%). The plots show the shape; this
 * table gives the figures a report quotes.
 */
final class GradientTable {

    /** The share of a cell's steps that counts as early. */
    static final double EARLY = 0.01;

    /** The share of a cell's steps that counts as late. */
    static final double LATE = 0.10;

    private GradientTable() {}

    /**
     * Returns the section for {@code results.md}.
     *
     * @param results the cells
     * @return the section, or an empty string where no cell sampled gradient norms
     */
    static String markdown(List<CellResult> results) {
        List<CellResult> sampled =
                results.stream().filter(r -> !r.gradientNorms().steps().isEmpty()).toList();
        if (sampled.isEmpty()) {
            return "";
        }
        Set<String> parts = new LinkedHashSet<>();
        sampled.forEach(r -> parts.addAll(r.gradientNorms().parts()));
        StringBuilder out =
                new StringBuilder(
                        String.format(
                                "%n## Gradient norms, early \u2192 late%n%n"
                                        + "Each part's gradient L2 norm: the median over the"
                                        + " samples in the first %.0f%% of a cell's steps \u2192"
                                        + " over the last %.0f%%. A part's norm also grows with"
                                        + " its size, so compare one stage across variants at"
                                        + " one depth.%n%n| cell |",
                                100 * EARLY, 100 * LATE));
        parts.forEach(part -> out.append(' ').append(part).append(" |"));
        out.append("\n|---|").append("---:|".repeat(parts.size())).append('\n');
        for (CellResult r : sampled) {
            out.append("| ").append(r.id()).append(" |");
            for (String part : parts) {
                int column = r.gradientNorms().parts().indexOf(part);
                out.append(' ')
                        .append(
                                column < 0
                                        ? "-"
                                        : format(median(r.gradientNorms(), column, true))
                                                + " \u2192 "
                                                + format(median(r.gradientNorms(), column, false)))
                        .append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * The median of one part's norms over the early or the late samples.
     *
     * @param norms a cell's gradient norms, at least one sample
     * @param column the part
     * @param early the first {@link #EARLY} of the steps, or else the last {@link #LATE}
     * @return the median
     */
    static double median(GradientNorms norms, int column, boolean early) {
        List<Integer> steps = norms.steps();
        int last = steps.get(steps.size() - 1);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            boolean inside =
                    early ? steps.get(i) <= last * EARLY : steps.get(i) > last * (1 - LATE);
            if (inside) {
                values.add(norms.norms().get(i)[column]);
            }
        }
        if (values.isEmpty()) { // a run so short that the window holds no sample
            values.add(norms.norms().get(early ? 0 : steps.size() - 1)[column]);
        }
        return Median.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Three significant figures, with thousands separated: 2,921, 31.6, 0.520. */
    static String format(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(
                Locale.ROOT, value >= 10 ? "%.1f" : value >= 1 ? "%.2f" : "%.3f", value);
    }
}
