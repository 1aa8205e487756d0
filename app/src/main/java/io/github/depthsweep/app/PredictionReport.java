package io.github.depthsweep.app;

import ai.djl.modality.Classifications.Classification;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Prints {@code predict}'s results as they come, one row at a time, so that memory does not grow
 * with the number of images: a table for people, a JSON array or JSON Lines for programs.
 */
abstract class PredictionReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String[] ORDINALS = {"1st", "2nd", "3rd"};

    /**
     * One input's result.
     *
     * @param file the image file
     * @param best its best classes, best first; {@code null} if it failed
     * @param error why it failed, or {@code null}
     */
    record Row(Path file, List<Classification> best, String error) {}

    /**
     * Prints one row.
     *
     * @param row the result
     * @throws IOException if the JSON cannot be written
     */
    abstract void add(Row row) throws IOException;

    /**
     * Ends the output (the JSON array's closing bracket) and flushes it.
     *
     * @throws IOException if the JSON cannot be written
     */
    abstract void finish() throws IOException;

    /**
     * A table: one line per image, its best classes with probabilities. Failed images are marked;
     * their errors go to stderr. The columns are as wide as the longest file name and class name,
     * known before the first row.
     *
     * @param out where to print
     * @param files every file that will be reported
     * @param classes the model's class names
     * @param top the number of classes per row
     * @return the report; its header is printed
     */
    static PredictionReport table(
            PrintWriter out, List<Path> files, List<String> classes, int top) {
        int fileWidth = "file".length();
        for (Path file : files) {
            fileWidth = Math.max(fileWidth, file.toString().length());
        }
        int labelWidth = classes.stream().mapToInt(String::length).max().orElse(0);
        return new Table(out, fileWidth, labelWidth, top);
    }

    /**
     * One JSON array, written as the rows come: an object per input with {@code file} and {@code
     * predictions} (label and probability, best first), or {@code file} and {@code error}.
     *
     * @param out where to print
     * @return the report; the array is opened
     * @throws IOException if the JSON cannot be written
     */
    static PredictionReport jsonArray(PrintWriter out) throws IOException {
        return new JsonArray(out);
    }

    /**
     * JSON Lines: the same objects as {@link #jsonArray}, one per line, nothing else.
     *
     * @param out where to print
     * @return the report
     */
    static PredictionReport jsonLines(PrintWriter out) {
        return new JsonLines(out);
    }

    private static ObjectNode toJson(Row row) {
        ObjectNode node = JSON.createObjectNode();
        node.put("file", row.file().toString());
        if (row.best() == null) {
            node.put("error", row.error());
            return node;
        }
        ArrayNode predictions = node.putArray("predictions");
        for (Classification c : row.best()) {
            predictions
                    .addObject()
                    .put("label", c.getClassName())
                    // Float32 softmax: six decimals are all it honestly has.
                    .put("probability", Math.round(c.getProbability() * 1e6) / 1e6);
        }
        return node;
    }

    private static final class Table extends PredictionReport {

        private final PrintWriter out;
        private final int fileWidth;
        private final int labelWidth;
        private final int cellWidth;

        Table(PrintWriter out, int fileWidth, int labelWidth, int top) {
            this.out = out;
            this.fileWidth = fileWidth;
            this.labelWidth = labelWidth;
            this.cellWidth = labelWidth + 8;
            StringBuilder header = new StringBuilder(pad("file", fileWidth));
            for (int k = 0; k < top; k++) {
                String title = k < ORDINALS.length ? ORDINALS[k] : (k + 1) + "th";
                header.append("  ").append(pad(title, cellWidth));
            }
            out.println(header.toString().stripTrailing());
        }

        @Override
        void add(Row row) {
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

        @Override
        void finish() {
            out.flush();
        }

        private static String pad(String text, int width) {
            return String.format(Locale.ROOT, "%-" + width + "s", text);
        }
    }

    private static final class JsonArray extends PredictionReport {

        private final PrintWriter out;
        private final JsonGenerator generator;

        JsonArray(PrintWriter out) throws IOException {
            this.out = out;
            this.generator =
                    JSON.getFactory()
                            .createGenerator(out)
                            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                            .useDefaultPrettyPrinter();
            generator.writeStartArray();
        }

        @Override
        void add(Row row) throws IOException {
            JSON.writeTree(generator, toJson(row));
        }

        @Override
        void finish() throws IOException {
            generator.writeEndArray();
            generator.close();
            out.println();
            out.flush();
        }
    }

    private static final class JsonLines extends PredictionReport {

        private final PrintWriter out;

        JsonLines(PrintWriter out) {
            this.out = out;
        }

        @Override
        void add(Row row) throws IOException {
            out.println(JSON.writeValueAsString(toJson(row)));
        }

        @Override
        void finish() {
            out.flush();
        }
    }
}
