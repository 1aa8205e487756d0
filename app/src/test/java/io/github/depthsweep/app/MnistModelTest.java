package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.data.IdxWriter;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import io.github.depthsweep.core.nn.StageNet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained on another dataset than Fashion-MNIST (here MNIST, written as IDX files) names
 * its own classes: predict and evaluate print digits, not clothes.
 */
class MnistModelTest {

    private static final List<String> DIGITS = Datasets.MNIST.classes();

    @TempDir static Path dir;
    private static Path model;
    private static Path data;

    /** An untrained plain-4 for MNIST, saved as the sweep saves it; random weights are enough. */
    @BeforeAll
    static void saveModelAndData() throws IOException {
        data = Files.createDirectory(dir.resolve("mnist"));
        IdxWriter.writeStripes(data, 20, 100, false);
        model = dir.resolve("plain-4");
        ModelInfo info = ModelInfo.of(Architecture.PLAIN, 4, Datasets.MNIST);
        try (Model net = Model.newInstance(info.name())) {
            net.setBlock(SavedModel.newBlock(info));
            net.getBlock().initialize(net.getNDManager(), DataType.FLOAT32, StageNet.INPUT_SHAPE);
            SavedModel.save(net, info.trained(ModelInfo.AS_TRAINED, 0.1, 1, 0), model);
        }
    }

    @Test
    void predictNamesDigits() throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        int[] stripe = new int[28 * 2];
        java.util.Arrays.fill(stripe, 255);
        image.getRaster().setSamples(0, 10, 28, 2, 0, stripe); // label 3's rows
        Path png = dir.resolve("three.png");
        ImageIO.write(image, "png", png.toFile());
        Cli.Result result =
                Cli.run("predict", "--top", "10", "--model", model.toString(), png.toString());
        assertEquals(0, result.exitCode(), result.err());
        for (String digit : DIGITS) {
            assertTrue(result.out().matches("(?s).*\\s" + digit + "\\s.*"), result.out());
        }
        for (String clothes : Datasets.FASHION_MNIST.classes()) {
            assertTrue(!result.out().contains(clothes), result.out());
        }
    }

    @Test
    void evaluateReadsTheModelsDatasetAndPrintsDigitClasses() {
        Cli.Result result =
                Cli.run(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--data",
                        data.toString(),
                        "--out",
                        dir.resolve("confusion.png").toString());
        assertEquals(0, result.exitCode(), result.err());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.contains("test set: 100 images from " + data), result.out());
        int header =
                lines.indexOf(
                        lines.stream()
                                .filter(l -> l.startsWith("class "))
                                .findFirst()
                                .orElseThrow());
        for (int c = 0; c < 10; c++) {
            assertTrue(
                    lines.get(header + 1 + c).matches(DIGITS.get(c) + " +[0-9.]+% +10"),
                    lines.get(header + 1 + c));
        }
    }

    /** The shared --dataset flag's help, written in cli, which cannot see the registry. */
    @Test
    void helpListsEveryDatasetOfTheRegistry() {
        Cli.Result result = Cli.run("evaluate", "--help");
        assertEquals(0, result.exitCode(), result.err());
        for (String name : Datasets.names()) {
            assertTrue(result.out().contains(name), name + " in " + result.out());
        }
    }

    @Test
    void anUnknownDatasetIsOneLine() {
        Cli.Result result = Cli.run("evaluate", "--model", model.toString(), "--dataset", "emnist");
        assertEquals(ExitCode.BAD_INPUT, result.exitCode());
        assertEquals(
                "error: --dataset: Unknown dataset 'emnist': use one of fashion-mnist, mnist,"
                        + " kmnist. (see 'depthsweep-app evaluate --help')",
                result.err().strip());
    }

    @Test
    void mnistOfflineWithoutDataIsTheEnvironmentInOneLine() {
        String before = System.getProperty("ai.djl.offline");
        System.setProperty("ai.djl.offline", "true");
        try {
            Cli.Result result = Cli.run("evaluate", "--model", model.toString());
            assertEquals(ExitCode.ENVIRONMENT, result.exitCode(), result.err());
            assertEquals(1, result.err().lines().count(), result.err());
            assertTrue(
                    result.err().contains("could not download it. Pass --data DIR"), result.err());
        } finally {
            if (before == null) {
                System.clearProperty("ai.djl.offline");
            } else {
                System.setProperty("ai.djl.offline", before);
            }
        }
    }
}
