package io.github.depthsweep.app;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.cli.CommandLines;
import io.github.depthsweep.core.inference.GrayscaleImages;
import io.github.depthsweep.core.inference.ImageTooLargeException;
import io.github.depthsweep.core.inference.Invert;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies image files in batches, as {@code predict} and {@code bench --files} do: each file is
 * read and preprocessed on its own (so that only its 28 x 28 values are kept, never the decoded
 * image), then each batch goes through the engine in one forward pass. A file that cannot be read
 * gives a row with its error; the others are classified.
 */
final class BatchClassifier {

    /** What to do with each batch's rows, in the order of the inputs. */
    interface Rows {
        /**
         * Takes a batch's rows.
         *
         * @param rows one per input of the batch, in order
         * @throws IOException if they cannot be written
         */
        void accept(List<PredictionReport.Row> rows) throws IOException;
    }

    private final Predictor<float[], Classifications> predictor;
    private final Invert invert;
    private final long maxPixels;
    private final int batchSize;
    private final int top;

    /**
     * Creates the classifier.
     *
     * @param predictor a predictor with a {@code PixelsTranslator}
     * @param invert the inversion rule
     * @param maxPixels the pixel limit, checked before decoding
     * @param batchSize the images per forward pass
     * @param top how many classes each row lists
     */
    BatchClassifier(
            Predictor<float[], Classifications> predictor,
            Invert invert,
            long maxPixels,
            int batchSize,
            int top) {
        this.predictor = predictor;
        this.invert = invert;
        this.maxPixels = maxPixels;
        this.batchSize = batchSize;
        this.top = top;
    }

    /**
     * One batch read and preprocessed: the 28 x 28 values of each file that could be read, the
     * error of each that could not.
     *
     * @param inputs the batch's inputs, in order
     * @param errors for each input, why it failed, or {@code null}
     * @param pixels the values of the inputs without an error, in order
     */
    record Prepared(List<ImageInputs.Input> inputs, String[] errors, List<float[]> pixels) {}

    /**
     * Classifies the inputs, batch by batch, handing each batch's rows on before the next batch is
     * read.
     *
     * @param inputs the inputs, in order
     * @param rows what takes the rows
     * @return how many inputs failed
     * @throws TranslateException if the engine fails on a batch
     * @throws IOException if the rows cannot be written
     */
    int classify(List<ImageInputs.Input> inputs, Rows rows) throws TranslateException, IOException {
        int failed = 0;
        for (int from = 0; from < inputs.size(); from += batchSize) {
            List<PredictionReport.Row> batch =
                    classify(
                            prepare(
                                    inputs.subList(
                                            from, Math.min(inputs.size(), from + batchSize))));
            failed += (int) batch.stream().filter(row -> row.error() != null).count();
            rows.accept(batch);
        }
        return failed;
    }

    /**
     * Reads and preprocesses a batch's files, one at a time.
     *
     * @param batch the inputs
     * @return their values and errors
     */
    Prepared prepare(List<ImageInputs.Input> batch) {
        String[] errors = new String[batch.size()];
        List<float[]> pixels = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            errors[i] = batch.get(i).problem();
            if (errors[i] == null) {
                try {
                    pixels.add(pixels(batch.get(i)));
                } catch (IOException e) {
                    errors[i] = message(e);
                }
            }
        }
        return new Prepared(batch, errors, pixels);
    }

    /**
     * Classifies a prepared batch in one forward pass.
     *
     * @param batch the batch
     * @return one row per input, in order
     * @throws TranslateException if the engine fails
     */
    List<PredictionReport.Row> classify(Prepared batch) throws TranslateException {
        List<Classifications> results =
                batch.pixels().isEmpty() ? List.of() : predictor.batchPredict(batch.pixels());
        List<PredictionReport.Row> rows = new ArrayList<>(batch.inputs().size());
        int next = 0;
        for (int i = 0; i < batch.inputs().size(); i++) {
            Path file = batch.inputs().get(i).file();
            String error = batch.errors()[i];
            rows.add(
                    error != null
                            ? new PredictionReport.Row(file, null, error)
                            : new PredictionReport.Row(file, results.get(next++).topK(top), null));
        }
        return rows;
    }

    private float[] pixels(ImageInputs.Input input) throws IOException {
        try {
            return GrayscaleImages.toPixels(GrayscaleImages.read(input.file(), maxPixels), invert);
        } catch (RuntimeException e) {
            // A decoded image that the preprocessing cannot take: this file's failure only.
            throw new IOException(
                    input.file() + " is a damaged or unsupported image: " + CommandLines.oneLine(e),
                    e);
        }
    }

    private static String message(IOException e) {
        if (e instanceof ImageTooLargeException large
                && large.getWidth() <= GrayscaleImages.MAX_SIDE
                && large.getHeight() <= GrayscaleImages.MAX_SIDE) {
            String line = CommandLines.oneLine(e);
            return line.substring(0, line.length() - (line.endsWith(".") ? 1 : 0))
                    + " (see --max-pixels).";
        }
        return CommandLines.oneLine(e);
    }
}
