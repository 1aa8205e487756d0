package io.github.depthsweep.app;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.inference.FashionMnistImages;
import io.github.depthsweep.core.inference.Invert;
import io.github.depthsweep.core.inference.SavedModelCriteria;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: how fast a model classifies, through the same {@code Predictor} as {@code predict}
 * (preprocessing included): single-image latency once warm (p50, p99) and throughput in batches.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Time a model: single-image latency once warm (p50, p99) and batch throughput,"
                    + " preprocessing included.",
            "PyTorch uses one thread per core by default; set -Dai.djl.pytorch.num_threads=N"
                    + " on the java command line to change it."
        })
final class BenchCommand implements Callable<Integer> {

    /**
     * PyTorch's intra-op thread count, read when the engine starts. On a busy machine one thread
     * gives far steadier single-image latency than the default of one per core.
     */
    static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    @Spec private CommandSpec spec;

    @Mixin private ModelOption model;

    @Option(
            names = "--image",
            paramLabel = "FILE",
            description = "The image to classify (default: a 28x28 image of noise).")
    private Path image;

    @Option(
            names = "--warmup",
            defaultValue = "50",
            paramLabel = "N",
            description = "Untimed single predictions first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(
            names = "--iterations",
            defaultValue = "500",
            paramLabel = "N",
            description = "Timed single predictions (default: ${DEFAULT-VALUE}).")
    private int iterations;

    @Option(
            names = "--batch-size",
            defaultValue = "256",
            paramLabel = "N",
            description = "Images per batch for throughput (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(
            names = "--batches",
            defaultValue = "10",
            paramLabel = "N",
            description = "Timed batches, after one untimed (default: ${DEFAULT-VALUE}).")
    private int batches;

    BenchCommand() {}

    @Override
    public Integer call() throws IOException, TranslateException {
        if (warmup < 0 || iterations < 1 || batchSize < 1 || batches < 1) {
            throw new IllegalArgumentException(
                    "--iterations, --batch-size and --batches must be at least 1, --warmup at"
                            + " least 0.");
        }
        Path folder = model.resolve();
        Image input = image == null ? noise() : FashionMnistImages.read(image);
        PrintWriter out = spec.commandLine().getOut();
        try (ZooModel<Image, Classifications> zoo =
                        SavedModelCriteria.loadModel(folder, Invert.AUTO);
                Predictor<Image, Classifications> predictor = zoo.newPredictor()) {
            out.println(ModelOption.describe(SavedModel.readInfo(folder), folder));
            Engine engine = zoo.getNDManager().getEngine();
            out.printf(
                    Locale.ROOT,
                    "engine %s %s on %s, %d cores, intra-op threads %s; image %s (%dx%d)%n",
                    engine.getEngineName(),
                    engine.getVersion(),
                    zoo.getNDManager().getDevice(),
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty(THREADS_PROPERTY, "engine default"),
                    image == null ? "noise" : image,
                    input.getWidth(),
                    input.getHeight());

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

            List<Image> batch = Collections.nCopies(batchSize, input);
            predictor.batchPredict(batch);
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                predictor.batchPredict(batch);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "batches of %d: %.1f images/s, %.1f ms per batch (%d batches after 1"
                            + " warm-up)%n",
                    batchSize,
                    batchSize * batches / seconds,
                    1000 * seconds / batches,
                    batches);
        }
        out.flush();
        return 0;
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static Image noise() {
        Random random = new Random(0);
        int size = FashionMnistImages.SIZE;
        int[] pixels = new int[size * size];
        for (int i = 0; i < pixels.length; i++) {
            int gray = random.nextInt(256);
            pixels[i] = 0xFF000000 | gray << 16 | gray << 8 | gray;
        }
        return ImageFactory.getInstance().fromPixels(pixels, size, size);
    }
}
