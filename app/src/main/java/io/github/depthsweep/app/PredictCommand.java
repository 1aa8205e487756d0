package io.github.depthsweep.app;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.inference.FreeingPredictor;
import io.github.depthsweep.core.inference.GrayscaleImages;
import io.github.depthsweep.core.inference.Invert;
import io.github.depthsweep.core.inference.PixelsTranslator;
import io.github.depthsweep.core.inference.SavedModelCriteria;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code predict}: the top classes of each image, as a table, a JSON array or JSON Lines, printed
 * batch by batch as the images are classified. Inputs that cannot be classified (not an image,
 * damaged, over the pixel limit, not a regular file) get one line each on stderr as they come, the
 * others are still classified, and the exit code is then 1.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Classify images: any PNG, JPEG or GIF, any size and colour. Each is made grayscale,"
                    + " fitted into 28x28 keeping its aspect ratio, and inverted if its"
                    + " background is light (see --invert), as Fashion-MNIST's items are light"
                    + " on black."
        })
final class PredictCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private ModelOption model;

    @Parameters(
            arity = "1..*",
            paramLabel = "FILE|FOLDER",
            description = "Images, or folders whose files are all classified.")
    private List<Path> paths;

    @Option(
            names = {"-k", "--top"},
            defaultValue = "3",
            paramLabel = "K",
            description = "How many classes to list per image (default: ${DEFAULT-VALUE}).")
    private int top;

    @Option(
            names = "--invert",
            defaultValue = "auto",
            paramLabel = "auto|yes|no",
            description =
                    "Invert brightness: auto (when the image's border is light), yes or no"
                            + " (default: ${DEFAULT-VALUE}).")
    private Invert invert;

    @Option(
            names = "--json",
            description = "Print one JSON array, an object per image, written as they come.")
    private boolean json;

    @Option(
            names = "--jsonl",
            description = "Print JSON Lines: one JSON object per image and line.")
    private boolean jsonLines;

    @Mixin private BatchSizeOption batch;

    @Option(
            names = "--max-pixels",
            defaultValue = "" + GrayscaleImages.DEFAULT_MAX_PIXELS,
            paramLabel = "N",
            description =
                    "Refuse images with more pixels than this, from their header, before"
                            + " decoding them (default: ${DEFAULT-VALUE}).")
    private long maxPixels;

    PredictCommand() {}

    @Override
    public Integer call() throws IOException, TranslateException {
        checkOptions();
        Path folder = model.resolve();
        ModelInfo info = SavedModel.readInfo(folder);
        if (top > info.classes().size()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--top must be between 1 and " + info.classes().size() + ", got " + top + ".");
        }
        List<ImageInputs.Input> inputs = ImageInputs.expand(paths);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed;
        try (ZooModel<Image, Classifications> zoo = SavedModelCriteria.loadModel(folder, invert);
                Predictor<float[], Classifications> predictor =
                        new FreeingPredictor<>(zoo, new PixelsTranslator(info.classes()))) {
            PredictionReport report = report(out, info, folder, inputs);
            Progress progress = Progress.onTerminal(err, inputs.size(), "images");
            BatchClassifier classifier =
                    new BatchClassifier(predictor, invert, maxPixels, batch.value(), top);
            failed =
                    classifier.classify(
                            inputs,
                            rows -> {
                                progress.clear();
                                for (PredictionReport.Row row : rows) {
                                    report.add(row);
                                    if (row.error() != null) {
                                        err.println("error: " + row.error());
                                    }
                                }
                                out.flush();
                                err.flush();
                                progress.advance(rows.size());
                            });
            progress.clear();
            report.finish();
        }
        if (failed > 0) {
            err.printf("error: %d of %d inputs could not be classified.%n", failed, inputs.size());
        }
        err.flush();
        return failed == 0 ? 0 : ExitCode.BAD_INPUT;
    }

    private void checkOptions() {
        if (json && jsonLines) {
            throw new ParameterException(
                    spec.commandLine(), "--json and --jsonl cannot be used together.");
        }
        if (top < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--top must be at least 1, got " + top + ".");
        }
        if (batch.value() < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--batch-size must be at least 1, got " + batch.value() + ".");
        }
        if (maxPixels < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--max-pixels must be at least 1, got " + maxPixels + ".");
        }
    }

    private PredictionReport report(
            PrintWriter out, ModelInfo info, Path folder, List<ImageInputs.Input> inputs)
            throws IOException {
        if (json) {
            return PredictionReport.jsonArray(out);
        }
        if (jsonLines) {
            return PredictionReport.jsonLines(out);
        }
        out.println(ModelOption.describe(info, folder));
        out.println();
        List<Path> files = inputs.stream().map(ImageInputs.Input::file).toList();
        return PredictionReport.table(out, files, info.classes(), top);
    }
}
