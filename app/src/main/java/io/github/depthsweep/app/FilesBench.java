package io.github.depthsweep.app;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.inference.FreeingPredictor;
import io.github.depthsweep.core.inference.GrayscaleImages;
import io.github.depthsweep.core.inference.Invert;
import io.github.depthsweep.core.inference.PixelsTranslator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --files}: predict's path on real files, as {@link BatchClassifier} runs it for
 * {@code predict} (read, preprocess, classify, format as JSON Lines), each batch followed by the
 * {@link RawEngine} on a batch of as many images, so that the two see the same machine.
 */
final class FilesBench {

    private FilesBench() {}

    /**
     * Lists the files of {@code --files}, as {@code predict} lists a folder's, before the model is
     * loaded, so that a wrong folder fails at once.
     *
     * @param folder the folder
     * @return its files, in predict's order
     * @throws IOException if it is not a folder, or has no files to classify
     */
    static List<ImageInputs.Input> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("--files " + folder + " is not a folder.");
        }
        List<ImageInputs.Input> inputs = ImageInputs.expand(List.of(folder));
        if (inputs.size() == 1 && inputs.get(0).problem() != null) {
            throw new IOException(inputs.get(0).problem());
        }
        return inputs;
    }

    /**
     * Times predict's path on the files in rounds after an untimed one (JIT, page cache), and
     * prints each round and the medians.
     *
     * @param zoo the loaded model
     * @param classes the model's class names
     * @param folder the folder, as named in the output
     * @param inputs its files, from {@link #list}
     * @param raw the raw engine
     * @param batchSize images per batch
     * @param rounds timed rounds
     * @param out where the results are printed, a line each
     * @throws IOException if a file cannot be classified; the message is predict's for it
     * @throws TranslateException if the engine fails
     */
    static void measure(
            ZooModel<Image, Classifications> zoo,
            List<String> classes,
            Path folder,
            List<ImageInputs.Input> inputs,
            RawEngine raw,
            int batchSize,
            int rounds,
            PrintWriter out)
            throws IOException, TranslateException {
        out.printf(
                Locale.ROOT,
                "files: %d in %s, batches of %d, each followed by the raw engine on as many"
                        + " images; %d rounds after an untimed one%n",
                inputs.size(),
                folder,
                batchSize,
                rounds);
        out.flush();
        try (Predictor<float[], Classifications> predictor =
                new FreeingPredictor<>(zoo, new PixelsTranslator(classes))) {
            BatchClassifier classifier =
                    new BatchClassifier(
                            predictor,
                            Invert.AUTO,
                            GrayscaleImages.DEFAULT_MAX_PIXELS,
                            batchSize,
                            3);
            // The rows are formatted as predict --jsonl formats them, and dropped.
            PredictionReport sink =
                    PredictionReport.jsonLines(new PrintWriter(Writer.nullWriter()));
            PipelineRounds record = new PipelineRounds("predict", rounds);
            for (int round = -1; round < rounds; round++) {
                double read = 0;
                double classify = 0;
                double format = 0;
                double engine = 0;
                for (int from = 0; from < inputs.size(); from += batchSize) {
                    List<ImageInputs.Input> batch =
                            inputs.subList(from, Math.min(inputs.size(), from + batchSize));
                    long start = System.nanoTime();
                    BatchClassifier.Prepared prepared = classifier.prepare(batch);
                    long prepareEnd = System.nanoTime();
                    List<PredictionReport.Row> rows = classifier.classify(prepared);
                    long classifyEnd = System.nanoTime();
                    for (PredictionReport.Row row : rows) {
                        if (row.error() != null) {
                            throw new IOException(row.error());
                        }
                        sink.add(row);
                    }
                    long formatEnd = System.nanoTime();
                    read += (prepareEnd - start) / 1e9;
                    classify += (classifyEnd - prepareEnd) / 1e9;
                    format += (formatEnd - classifyEnd) / 1e9;
                    engine += raw.seconds(batch.size(), batchSize);
                }
                if (round < 0) {
                    continue; // warm-up: JIT, page cache
                }
                int n = inputs.size();
                record.record(round, n, read + classify + format, engine);
                out.printf(
                        Locale.ROOT,
                        "round %d: predict %.1f images/s (an image: read and preprocess %.0f us,"
                                + " classify %.0f us, format %.0f us), raw engine %.1f images/s"
                                + " (%.0f us); predict/raw %.1f%%%n",
                        round + 1,
                        record.rate(round),
                        1e6 * read / n,
                        1e6 * classify / n,
                        1e6 * format / n,
                        record.rawRate(round),
                        1e6 * engine / n,
                        100 * record.ratio(round));
                out.flush();
            }
            record.printMedian(out);
        }
    }
}
