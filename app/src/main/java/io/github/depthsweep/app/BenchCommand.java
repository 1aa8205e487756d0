package io.github.depthsweep.app;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.data.FashionMnistDataset;
import io.github.depthsweep.core.inference.ConfusionMatrix;
import io.github.depthsweep.core.inference.FashionMnistImages;
import io.github.depthsweep.core.inference.FreeingPredictor;
import io.github.depthsweep.core.inference.Invert;
import io.github.depthsweep.core.inference.PixelsTranslator;
import io.github.depthsweep.core.inference.SavedModelCriteria;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
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
 * (preprocessing included): single-image latency once warm (p50, p99), and batch throughput side by
 * side with the raw engine (the forward pass alone on ready-made input arrays), in alternating
 * timed blocks so that a machine whose speed drifts does not decide the ratio. With {@code --files
 * DIR}, the batches are {@code predict}'s own path on real files: read, preprocess, classify,
 * format.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Time a model: single-image latency once warm (p50, p99) and batch throughput,"
                    + " preprocessing included, beside the raw engine's forward pass.",
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
            defaultValue = "64",
            paramLabel = "N",
            description =
                    "Images per batch for throughput, as predict's --batch-size (default:"
                            + " ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(
            names = "--batches",
            defaultValue = "10",
            paramLabel = "N",
            description =
                    "Timed batches of each kind, alternating, after one untimed each (default:"
                            + " ${DEFAULT-VALUE}).")
    private int batches;

    @Option(
            names = "--files",
            paramLabel = "DIR",
            description =
                    "Also time predict's path on every file in DIR (read, preprocess, classify,"
                            + " format as JSON Lines), against the raw engine on as many images.")
    private Path files;

    @Option(
            names = "--test-images",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Also time evaluate's path on the first N Fashion-MNIST test images (found as"
                            + " evaluate finds them), against the raw engine (default: 0, not"
                            + " timed).")
    private int testImages;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            paramLabel = "N",
            description =
                    "With --files or --test-images: timed passes, after an untimed one"
                            + " (default: ${DEFAULT-VALUE}).")
    private int rounds;

    BenchCommand() {}

    @Override
    public Integer call() throws IOException, TranslateException {
        if (warmup < 0
                || iterations < 1
                || batchSize < 1
                || batches < 1
                || rounds < 1
                || testImages < 0) {
            throw new IllegalArgumentException(
                    "--iterations, --batch-size, --batches and --rounds must be at least 1,"
                            + " --warmup and --test-images at least 0.");
        }
        Path folder = model.resolve();
        List<ImageInputs.Input> inputs = files == null ? List.of() : listFiles(files);
        Image input = image == null ? noise() : FashionMnistImages.read(image);
        PrintWriter out = spec.commandLine().getOut();
        try (ZooModel<Image, Classifications> zoo =
                        SavedModelCriteria.loadModel(folder, Invert.AUTO);
                Predictor<Image, Classifications> predictor =
                        new FreeingPredictor<>(zoo, zoo.getTranslator())) {
            ModelInfo info = SavedModel.readInfo(folder);
            out.println(ModelOption.describe(info, folder));
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
            out.flush();

            latency(predictor, input, out);
            RawEngine raw = new RawEngine(zoo.getBlock(), zoo.getNDManager(), info);
            throughput(predictor, input, raw, out);
            if (files != null) {
                filesThroughput(zoo, info.classes(), inputs, raw, out);
            }
            if (testImages > 0) {
                testSetThroughput(zoo, info.classes(), raw, out);
            }
        }
        out.flush();
        return 0;
    }

    private void latency(Predictor<Image, Classifications> predictor, Image input, PrintWriter out)
            throws TranslateException {
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

    /** Batches of copies of one image through the predictor, alternating with the raw engine. */
    private void throughput(
            Predictor<Image, Classifications> predictor,
            Image input,
            RawEngine raw,
            PrintWriter out)
            throws TranslateException {
        List<Image> batch = Collections.nCopies(batchSize, input);
        predictor.batchPredict(batch);
        raw.seconds(batchSize, batchSize);
        double predicted = 0;
        double engine = 0;
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
     * Predict's path on real files (read, preprocess, classify, format as JSON Lines), each batch
     * followed by the raw engine on a batch of as many images: the two see the same machine.
     */
    private void filesThroughput(
            ZooModel<Image, Classifications> zoo,
            List<String> classes,
            List<ImageInputs.Input> inputs,
            RawEngine raw,
            PrintWriter out)
            throws IOException, TranslateException {
        out.printf(
                Locale.ROOT,
                "files: %d in %s, batches of %d, each followed by the raw engine on as many"
                        + " images; %d rounds after an untimed one%n",
                inputs.size(),
                files,
                batchSize,
                rounds);
        out.flush();
        try (Predictor<float[], Classifications> predictor =
                new FreeingPredictor<>(zoo, new PixelsTranslator(classes))) {
            BatchClassifier classifier =
                    new BatchClassifier(
                            predictor,
                            Invert.AUTO,
                            FashionMnistImages.DEFAULT_MAX_PIXELS,
                            batchSize,
                            3);
            PredictionReport sink =
                    PredictionReport.jsonLines(new PrintWriter(Writer.nullWriter()));
            double[] ratios = new double[rounds];
            double[] predictRates = new double[rounds];
            double[] rawRates = new double[rounds];
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
                predictRates[round] = n / (read + classify + format);
                rawRates[round] = n / engine;
                ratios[round] = predictRates[round] / rawRates[round];
                out.printf(
                        Locale.ROOT,
                        "round %d: predict %.1f images/s (an image: read and preprocess %.0f us,"
                                + " classify %.0f us, format %.0f us), raw engine %.1f images/s"
                                + " (%.0f us); predict/raw %.1f%%%n",
                        round + 1,
                        predictRates[round],
                        1e6 * read / n,
                        1e6 * classify / n,
                        1e6 * format / n,
                        rawRates[round],
                        1e6 * engine / n,
                        100 * ratios[round]);
                out.flush();
            }
            printMedian("predict", predictRates, rawRates, ratios, out);
        }
    }

    /**
     * Evaluate's path on the first test images (batches from the in-memory test set through the
     * net, predictions counted), each batch followed by the raw engine on as many images.
     */
    private void testSetThroughput(
            ZooModel<Image, Classifications> zoo,
            List<String> classes,
            RawEngine raw,
            PrintWriter out)
            throws IOException, TranslateException {
        try (FashionMnistDataset test =
                FashionMnistDataset.builder()
                        .optUsage(Dataset.Usage.TEST)
                        .optLimit(testImages)
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
            double[] ratios = new double[rounds];
            double[] evaluateRates = new double[rounds];
            double[] rawRates = new double[rounds];
            for (int round = -1; round < rounds; round++) {
                double evaluate = 0;
                double engine = 0;
                long n = 0;
                Iterator<Batch> batches = test.getData(zoo.getNDManager()).iterator();
                while (true) {
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
                    continue;
                }
                evaluateRates[round] = n / evaluate;
                rawRates[round] = n / engine;
                ratios[round] = evaluateRates[round] / rawRates[round];
                out.printf(
                        Locale.ROOT,
                        "round %d: evaluate %.1f images/s, raw engine %.1f images/s; evaluate/raw"
                                + " %.1f%%%n",
                        round + 1,
                        evaluateRates[round],
                        rawRates[round],
                        100 * ratios[round]);
                out.flush();
            }
            printMedian("evaluate", evaluateRates, rawRates, ratios, out);
        }
    }

    private static void printMedian(
            String path, double[] rates, double[] rawRates, double[] ratios, PrintWriter out) {
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        out.printf(
                Locale.ROOT,
                "median: %s %.1f images/s, raw engine %.1f images/s, %s/raw %.1f%% (rounds from"
                        + " %.1f%% to %.1f%%)%n",
                path,
                median(rates),
                median(rawRates),
                path,
                100 * median(ratios),
                100 * sorted[0],
                100 * sorted[sorted.length - 1]);
        out.flush();
    }

    private static List<ImageInputs.Input> listFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("--files " + folder + " is not a folder.");
        }
        List<ImageInputs.Input> inputs = ImageInputs.expand(List.of(folder));
        if (inputs.size() == 1 && inputs.get(0).problem() != null) {
            throw new IOException(inputs.get(0).problem());
        }
        return inputs;
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The median of the values (sorts a copy). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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

    /**
     * The engine on its own: the net's forward pass in inference mode on input arrays made before
     * the clock starts, and the logits copied back, as the sweep's {@code bench} times inference.
     */
    static final class RawEngine {

        private final Block block;
        private final NDManager manager;
        private final ModelInfo info;
        private final Random random = new Random(0);

        RawEngine(Block block, NDManager manager, ModelInfo info) {
            this.block = block;
            this.manager = manager;
            this.info = info;
        }

        /**
         * Times the forward pass over a number of images in batches.
         *
         * @param images how many images
         * @param batchSize the most images per batch
         * @return the seconds spent in forward passes
         */
        double seconds(int images, int batchSize) {
            double seconds = 0;
            for (int from = 0; from < images; from += batchSize) {
                int size = Math.min(batchSize, images - from);
                try (NDManager step = manager.newSubManager()) {
                    Shape shape = SavedModel.batchShape(info, size);
                    float[] values = new float[Math.toIntExact(shape.size())];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = random.nextFloat();
                    }
                    NDList input = new NDList(step.create(values, shape));
                    long start = System.nanoTime();
                    block.forward(new ParameterStore(step, false), input, false)
                            .singletonOrThrow()
                            .toFloatArray();
                    seconds += (System.nanoTime() - start) / 1e9;
                }
            }
            return seconds;
        }
    }
}
