package io.github.depthsweep.app;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.inference.ConfusionMatrix;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --test-images}: evaluate's path on the first Fashion-MNIST test images (batches from
 * the in-memory test set through the net, predictions counted in a {@link ConfusionMatrix}), each
 * batch followed by the {@link RawEngine} on as many images.
 */
final class TestSetBench {

    private TestSetBench() {}

    /**
     * Times evaluate's path in rounds after an untimed one, and prints each round and the medians.
     *
     * @param zoo the loaded model
     * @param classes the model's class names
     * @param images how many test images, from the first; the test set is found as evaluate finds
     *     it
     * @param raw the raw engine
     * @param batchSize images per batch
     * @param rounds timed rounds
     * @param out where the results are printed, a line each
     * @throws IOException if the test set cannot be found or read
     * @throws TranslateException if a batch cannot be made
     */
    static void measure(
            ZooModel<Image, Classifications> zoo,
            List<String> classes,
            int images,
            RawEngine raw,
            int batchSize,
            int rounds,
            PrintWriter out)
            throws IOException, TranslateException {
        try (IdxDataset test =
                IdxDataset.builder()
                        .optUsage(Dataset.Usage.TEST)
                        .optLimit(images)
                        .optManager(zoo.getNDManager())
                        .setSampling(batchSize, false)
                        .build()) {
            test.prepare();
            out.printf(
                    Locale.ROOT,
                    "test set: %d images from %s, batches of %d, each followed by the raw engine"
                            + " on as many images; %d rounds after an untimed one%n",
                    test.size(),
                    test.getSource(),
                    batchSize,
                    rounds);
            out.flush();
            PipelineRounds record = new PipelineRounds("evaluate", rounds);
            for (int round = -1; round < rounds; round++) {
                double evaluate = 0;
                double engine = 0;
                long n = 0;
                Iterator<Batch> batches = test.getData(zoo.getNDManager()).iterator();
                while (true) {
                    // Fetching the batch is part of evaluate's path, so the clock starts first.
                    long start = System.nanoTime();
                    if (!batches.hasNext()) {
                        break;
                    }
                    Batch batch = batches.next();
                    int size = batch.getSize(); // read before measure closes the batch
                    n += ConfusionMatrix.measure(zoo.getBlock(), List.of(batch), classes).total();
                    evaluate += (System.nanoTime() - start) / 1e9;
                    engine += raw.seconds(size, batchSize);
                }
                if (round < 0) {
                    continue; // warm-up
                }
                record.record(round, n, evaluate, engine);
                out.printf(
                        Locale.ROOT,
                        "round %d: evaluate %.1f images/s, raw engine %.1f images/s; evaluate/raw"
                                + " %.1f%%%n",
                        round + 1,
                        record.rate(round),
                        record.rawRate(round),
                        100 * record.ratio(round));
                out.flush();
            }
            record.printMedian(out);
        }
    }
}
