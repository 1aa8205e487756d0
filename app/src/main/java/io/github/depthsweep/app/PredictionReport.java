package io.github.depthsweep.app;

import ai.djl.modality.Classifications.Classification;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Prints {@code predict}'s results: a table for people, JSON for programs. */
final class PredictionReport {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final String[] ORDINALS = {"1st", "2nd", "3rd"};

    private PredictionReport() {}

    /**
     * One input's result.
     *
     * @param file the image file
     * @param best its best classes, best first; {@code null} if it failed
     * @param error why it failed, or {@code null}
     */
    record Row(Path file, List<Classification> best, String error) {}

    /**
     * Prints a table: one line per image, its best classes with probabilities. Failed images are
     * marked; their errors go to stderr.
     *
     * @param rows the results
     * @param top the number of classes per row
     * @param out where to print
     */
    static void printTable(List<Row> rows, int top, PrintWriter out) {
        int fileWidth = "file".length();
        int labelWidth = 0;
        for (Row row : rows) {
            fileWidth = Math.max(fileWidth, row.file().toString().length());
            if (row.best() != null) {
                for (Classification c : row.best()) {
                    labelWidth = Math.max(labelWidth, c.getClassName().length());
                }
            }
        }
        int cellWidth = labelWidth + 8;
        StringBuilder header = new StringBuilder(pad("file", fileWidth));
        for (int k = 0; k < top; k++) {
            String title = k < ORDINALS.length ? ORDINALS[k] : (k + 1) + "th";
            header.append("  ").append(pad(title, cellWidth));
        }
        out.println(header.toString().stripTrailing());
        for (Row row : rows) {
            StringBuilder line = new StringBuilder(pad(row.file().toString(), fileWidth));
            if (row.best() == null) {
                line.append("  (not classified, see the error)");
            } else {
                for (Classification c : row.best()) {
                    String cell =
                            String.format(
                                    Locale.ROOT,
                                    "%-" + labelWidth + "s %6.2f%%",
                                    c.getClassName(),
                                    100 * c.getProbability());
                    line.append("  ").append(pad(cell, cellWidth));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /**
     * Prints a JSON array with one object per input: {@code file} and {@code predictions} (label
     * and probability, best first), or {@code file} and {@code error}.
     *
     * @param rows the results
     * @param out where to print
     * @throws IOException if the JSON cannot be written
     */
    static void printJson(List<Row> rows, PrintWriter out) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        for (Row row : rows) {
            ObjectNode node = array.addObject();
            node.put("file", row.file().toString());
            if (row.best() == null) {
                node.put("error", row.error());
                continue;
            }
            ArrayNode predictions = node.putArray("predictions");
            for (Classification c : row.best()) {
                predictions
                        .addObject()
                        .put("label", c.getClassName())
                        // Float32 softmax: six decimals are all it honestly has.
                        .put("probability", Math.round(c.getProbability() * 1e6) / 1e6);
            }
        }
        out.println(JSON.writeValueAsString(array));
    }

    private static String pad(String text, int width) {
        return String.format(Locale.ROOT, "%-" + width + "s", text);
    }
}
