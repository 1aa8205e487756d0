package io.github.depthsweep.app;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.Classifications.Classification;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.inference.FashionMnistImages;
import io.github.depthsweep.core.inference.Invert;
import io.github.depthsweep.core.inference.SavedModelCriteria;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code predict}: the top classes of each image, as a table or as JSON. Images that cannot be read
 * are listed on stderr, the others are still classified, and the exit code is then 1.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Classify images: any PNG or JPEG, any size and colour. Each is made grayscale,"
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

    @Option(names = "--json", description = "Print JSON: one object per image.")
    private boolean json;

    PredictCommand() {}

    @Override
    public Integer call() throws IOException, TranslateException {
        Path folder = model.resolve();
        ModelInfo info = SavedModel.readInfo(folder);
        if (top < 1 || top > info.classes().size()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--top must be between 1 and " + info.classes().size() + ", got " + top + ".");
        }
        List<PredictionReport.Row> rows = new ArrayList<>();
        try (ZooModel<Image, Classifications> zoo = SavedModelCriteria.loadModel(folder, invert);
                Predictor<Image, Classifications> predictor = zoo.newPredictor()) {
            for (ImageInputs.Input input : ImageInputs.expand(paths)) {
                rows.add(classify(predictor, input));
            }
        }

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            PredictionReport.printJson(rows, out);
        } else {
            out.println(ModelOption.describe(info, folder));
            out.println();
            PredictionReport.printTable(rows, top, out);
        }
        out.flush();
        long failed = rows.stream().filter(row -> row.error() != null).count();
        PrintWriter err = spec.commandLine().getErr();
        for (PredictionReport.Row row : rows) {
            if (row.error() != null) {
                err.println("error: " + row.error());
            }
        }
        if (failed > 0) {
            err.printf("error: %d of %d inputs could not be classified.%n", failed, rows.size());
        }
        err.flush();
        return failed == 0 ? 0 : AppCommand.FAILED;
    }

    private PredictionReport.Row classify(
            Predictor<Image, Classifications> predictor, ImageInputs.Input input)
            throws TranslateException {
        if (input.problem() != null) {
            return new PredictionReport.Row(input.file(), null, input.problem());
        }
        Image image;
        try {
            image = FashionMnistImages.read(input.file());
        } catch (IOException e) {
            return new PredictionReport.Row(input.file(), null, Errors.oneLine(e));
        }
        List<Classification> best = predictor.predict(image).topK(top);
        return new PredictionReport.Row(input.file(), best, null);
    }
}
