package io.github.depthsweep.app;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.inference.FreeingPredictor;
import io.github.depthsweep.core.inference.GrayscaleImages;
import io.github.depthsweep.core.inference.Invert;
import io.github.depthsweep.core.inference.SavedModelCriteria;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
 * format; with {@code --test-images N}, {@code evaluate}'s path on the test set.
 *
 * <p>This class holds the options and the order of the measurements; {@link PredictorBench} times
 * the image predictor, {@link RawEngine} the forward pass alone, {@link FilesBench} and {@link
 * TestSetBench} predict's and evaluate's paths in rounds, which {@link PipelineRounds} sums up.
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
        // Everything the user named is checked before the model loads.
        Path folder = model.resolve();
        List<ImageInputs.Input> inputs = files == null ? List.of() : FilesBench.list(files);
        Image input = image == null ? PredictorBench.noise() : GrayscaleImages.read(image);
        PrintWriter out = spec.commandLine().getOut();
        try (ZooModel<Image, Classifications> zoo =
                        SavedModelCriteria.loadModel(folder, Invert.AUTO);
                Predictor<Image, Classifications> predictor =
                        new FreeingPredictor<>(zoo, zoo.getTranslator())) {
            ModelInfo info = SavedModel.readInfo(folder);
            out.println(ModelOption.describe(info, folder));
            printEngine(zoo, input, out);

            PredictorBench single = new PredictorBench(predictor, input, out);
            single.latency(warmup, iterations);
            RawEngine raw = new RawEngine(zoo.getBlock(), zoo.getNDManager(), info);
            single.throughput(raw, batchSize, batches);
            if (files != null) {
                FilesBench.measure(zoo, info.classes(), files, inputs, raw, batchSize, rounds, out);
            }
            if (testImages > 0) {
                TestSetBench.measure(zoo, info.classes(), testImages, raw, batchSize, rounds, out);
            }
        }
        out.flush();
        return 0;
    }

    /** Prints what the figures belong to: the engine, its threads, the machine and the image. */
    private void printEngine(ZooModel<Image, Classifications> zoo, Image input, PrintWriter out) {
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
    }

    /**
     * Returns the nearest-rank percentile of sorted values: {@link PredictorBench#percentile}, kept
     * here for the command's tests.
     *
     * @param sorted the values, in ascending order, at least one
     * @param percent the percentile, 0 to 100
     * @return the value at that rank
     */
    static long percentile(long[] sorted, double percent) {
        return PredictorBench.percentile(sorted, percent);
    }
}
