package io.github.depthsweep.app;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.inference.GrayscaleImages;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One image through the same {@code Predictor<Image, Classifications>} as {@code predict} uses,
 * preprocessing included: its latency once warm, and the throughput of batches of copies of it
 * beside the {@link RawEngine}.
 */
final class PredictorBench {

    private final Predictor<Image, Classifications> predictor;
    private final Image input;
    private final PrintWriter out;

    /**
     * Creates the bench.
     *
     * @param predictor the model's image predictor
     * @param input the image to classify
     * @param out where the results are printed, a line each
     */
    PredictorBench(Predictor<Image, Classifications> predictor, Image input, PrintWriter out) {
        this.predictor = predictor;
        this.input = input;
        this.out = out;
    }

    /**
     * Times single predictions after untimed ones, and prints p50, p99 and the mean.
     *
     * @param warmup untimed predictions first
     * @param iterations timed predictions
     * @throws TranslateException if a prediction fails
     */
    void latency(int warmup, int iterations) throws TranslateException {
        for (int i = 0; i < warmup; i++) {
            predictor.predict(input);
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            predictor.predict(input);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        out.printf(
                Locale.ROOT,
                "single image: p50 %.3f ms, p99 %.3f ms, mean %.3f ms (%d runs after %d"
                        + " warm-up)%n",
                percentile(nanos, 50) / 1e6,
                percentile(nanos, 99) / 1e6,
                Arrays.stream(nanos).average().orElse(0) / 1e6,
                iterations,
                warmup);
        out.flush();
    }

    /**
     * Times batches of copies of the image through the predictor, each followed by the raw engine
     * on a batch of as many images, after one untimed batch of each; prints both rates.
     *
     * @param raw the raw engine
     * @param batchSize images per batch
     * @param batches timed batches of each kind
     * @throws TranslateException if a prediction fails
     */
    void throughput(RawEngine raw, int batchSize, int batches) throws TranslateException {
        List<Image> batch = Collections.nCopies(batchSize, input);
        predictor.batchPredict(batch);
        raw.seconds(batchSize, batchSize);
        double predicted = 0;
        double engine = 0;
        // Alternating, so that a machine whose speed drifts slows both alike.
        for (int i = 0; i < batches; i++) {
            long start = System.nanoTime();
            predictor.batchPredict(batch);
            predicted += (System.nanoTime() - start) / 1e9;
            engine += raw.seconds(batchSize, batchSize);
        }
        double images = (double) batchSize * batches;
        out.printf(
                Locale.ROOT,
                "batches of %d: %.1f images/s through the predictor, %.1f images/s raw engine"
                        + " (%.1f%%); %.1f ms per batch (%d batches of each, alternating, after 1"
                        + " warm-up)%n",
                batchSize,
                images / predicted,
                images / engine,
                100 * engine / predicted,
                1000 * predicted / batches,
                batches);
        out.flush();
    }

    /**
     * Returns the nearest-rank percentile of sorted values.
     *
     * @param sorted the values, in ascending order, at least one
     * @param percent the percentile, 0 to 100
     * @return the value at that rank
     */
    static long percentile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Returns the image timed without {@code --image}: 28 x 28 gray noise, the same every run.
     *
     * @return the image
     */
    static Image noise() {
        Random random = new Random(0);
        int size = GrayscaleImages.SIZE;
        int[] pixels = new int[size * size];
        for (int i = 0; i < pixels.length; i++) {
            int gray = random.nextInt(256);
            pixels[i] = 0xFF000000 | gray << 16 | gray << 8 | gray;
        }
        return ImageFactory.getInstance().fromPixels(pixels, size, size);
    }
}
