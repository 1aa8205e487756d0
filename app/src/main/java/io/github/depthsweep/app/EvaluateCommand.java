package io.github.depthsweep.app;

import ai.djl.Model;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.cli.CommandLines;
import io.github.depthsweep.cli.DataOptions;
import io.github.depthsweep.core.data.Batches;
import io.github.depthsweep.core.data.DatasetInfo;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.inference.ConfusionMatrix;
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
 * {@code evaluate}: a model's accuracy on its dataset's test set (Fashion-MNIST's, or {@code
 * --dataset}'s), per class, and its confusion matrix, printed and drawn as a PNG.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Accuracy on the test set of the model's dataset (or --dataset's), per-class"
                        + " accuracy and the confusion matrix, printed and saved as PNG.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private ModelOption model;

    @Mixin private DataOptions data;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description =
                    "Where to save the confusion matrix PNG (default:"
                            + " runs/evaluate/confusion-NAME.png, beside the sweep's runs/).")
    private Path out;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Use only the first N test images (default: all of them).")
    private Integer limit;

    @Mixin private BatchSizeOption batch;

    EvaluateCommand() {}

    @Override
    public Integer call() throws IOException {
        if (batch.value() < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1.");
        }
        Path folder = model.resolve();
        ModelInfo info = SavedModel.readInfo(folder);
        DatasetInfo dataset = data.dataset(Datasets::byName, Datasets.byName(info.dataset()));
        if (dataset.classes().size() != info.classes().size()) {
            throw new IllegalArgumentException(
                    String.format(
                            "--dataset %s has %d classes but model %s has %d: evaluate it on"
                                    + " %s, the dataset it was trained on.",
                            dataset.name(),
                            dataset.classes().size(),
                            info.name(),
                            info.classes().size(),
                            info.dataset()));
        }
        // Not the working directory, which is often a repository: the folder outputs go to.
        Path chart =
                out != null
                        ? out
                        : Path.of("runs", "evaluate", "confusion-" + info.name() + ".png");
        ConfusionMatrix matrix;
        String source;
        try (Model loaded = SavedModel.load(folder)) {
            IdxDataset.Builder builder =
                    IdxDataset.builder()
                            .optDataset(dataset)
                            .optUsage(Usage.TEST)
                            .optDirectory(data.folder())
                            .optManager(loaded.getNDManager())
                            .setSampling(batch.value(), false);
            if (limit != null) {
                builder.optLimit(limit);
            }
            try (IdxDataset test = builder.build()) {
                test.prepare();
                source = test.getSource();
                Progress progress =
                        Progress.onTerminal(
                                spec.commandLine().getErr(), test.size(), "test images");
                // Each batch lives in its own manager and is closed after its forward pass.
                matrix =
                        ConfusionMatrix.measure(
                                loaded.getBlock(),
                                counted(test.getData(loaded.getNDManager()), progress),
                                info.classes());
                progress.clear();
            }
        } catch (TranslateException e) {
            throw new IOException("Cannot read the test set: " + CommandLines.oneLine(e), e);
        }
        ConfusionChart.save(
                matrix,
                String.format(
                        Locale.ROOT,
                        "%s on %d %s test images: %.2f%% right",
                        info.name(),
                        matrix.total(),
                        dataset.title(),
                        100 * matrix.accuracy()),
                chart);

        PrintWriter printer = spec.commandLine().getOut();
        printer.println(ModelOption.describe(info, folder));
        printer.printf(Locale.ROOT, "test set: %d images from %s%n", matrix.total(), source);
        printer.printf(
                Locale.ROOT,
                "accuracy: %.2f%% (%d of %d)%n%n",
                100 * matrix.accuracy(),
                matrix.correct(),
                matrix.total());
        printClasses(matrix, printer);
        printer.println();
        printMatrix(matrix, printer);
        printer.println();
        printer.println("confusion matrix saved to " + chart);
        printer.flush();
        return 0;
    }

    /** The batches, advancing the progress bar as each is handed out. */
    private static Iterable<Batch> counted(Iterable<Batch> batches, Progress progress) {
        return Batches.onEach(batches, batch -> progress.advance(batch.getSize()));
    }

    private static void printClasses(ConfusionMatrix matrix, PrintWriter printer) {
        int width = labelWidth(matrix.classes());
        printer.printf(Locale.ROOT, "%-" + width + "s  %8s  %6s%n", "class", "accuracy", "images");
        for (int c = 0; c < matrix.classes().size(); c++) {
            printer.printf(
                    Locale.ROOT,
                    "%-" + width + "s  %7.2f%%  %6d%n",
                    matrix.classes().get(c),
                    100 * matrix.accuracy(c),
                    matrix.total(c));
        }
    }

    private static void printMatrix(ConfusionMatrix matrix, PrintWriter printer) {
        List<String> classes = matrix.classes();
        int width = labelWidth(classes) + 4;
        printer.println("confusion matrix (rows: true class, columns: predicted class)");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%" + width + "s", ""));
        for (int c = 0; c < classes.size(); c++) {
            header.append(String.format(Locale.ROOT, "%6d", c));
        }
        printer.println(header);
        for (int actual = 0; actual < classes.size(); actual++) {
            StringBuilder row =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "%-" + width + "s",
                                    String.format(
                                            Locale.ROOT, "%d %s", actual, classes.get(actual))));
            for (int predicted = 0; predicted < classes.size(); predicted++) {
                row.append(String.format(Locale.ROOT, "%6d", matrix.count(actual, predicted)));
            }
            printer.println(row);
        }
    }

    private static int labelWidth(List<String> classes) {
        return Math.max(
                "class".length(), classes.stream().mapToInt(String::length).max().orElse(0));
    }
}
