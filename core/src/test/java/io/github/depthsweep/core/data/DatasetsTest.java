package io.github.depthsweep.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset.Usage;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset registry, and one reader for every dataset in it. */
class DatasetsTest {

    @TempDir Path dir;

    @Test
    void namesFindTheirDatasetsAndNullIsFashionMnist() {
        assertEquals(List.of("fashion-mnist", "mnist", "kmnist"), Datasets.names());
        for (String name : Datasets.names()) {
            assertEquals(name, Datasets.byName(name).name());
        }
        assertEquals(Datasets.FASHION_MNIST, Datasets.byName(null));
        assertEquals("7", Datasets.MNIST.classes().get(7));
        assertEquals("wo", Datasets.KMNIST.classes().get(9));
        assertEquals(60_000, Datasets.MNIST.size(true));
        assertEquals(10_000, Datasets.MNIST.size(false));
    }

    @Test
    void anUnknownNameIsOneLineListingTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Datasets.byName("cifar10"));
        assertEquals(
                "Unknown dataset 'cifar10': use one of fashion-mnist, mnist, kmnist.",
                e.getMessage());
    }

    @Test
    void mnistReadsItsFolderGzippedOrNotWithDigitClasses() throws IOException {
        IdxWriter.writeStripes(dir, 30, 20, true);
        Path plain = Files.createDirectory(dir.resolve("plain"));
        IdxWriter.writeStripes(plain, 30, 20, false);
        for (Path folder : List.of(dir, plain)) {
            try (IdxDataset test = mnist(folder, Usage.TEST)) {
                test.prepare();
                assertEquals(Datasets.MNIST, test.dataset());
                assertEquals(20, test.size());
                assertEquals(new Shape(20, 1, 28, 28), test.images().getShape());
                assertEquals(9f, test.labels().getFloat(19));
                // image 3's stripe (label 3) is rows 10 and 11
                assertTrue(test.images().get(3, 0, 10, 0).getFloat() > 0.75f);
                assertTrue(test.images().get(3, 0, 4, 0).getFloat() < 0.2f);
            }
        }
    }

    @Test
    void mnistOfflineWithoutAFolderSaysToPassOne() {
        String before = System.getProperty("ai.djl.offline");
        System.setProperty("ai.djl.offline", "true");
        try (IdxDataset train = mnist(null, Usage.TRAIN)) {
            IOException e = assertThrows(IOException.class, train::prepare);
            assertInstanceOf(DownloadUnavailableException.class, e);
            assertTrue(e.getMessage().contains("could not download"), e.getMessage());
            assertTrue(e.getMessage().contains("--data DIR"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        } finally {
            restore(before);
        }
    }

    @Test
    void kmnistHasNoDownloadAndSaysWhereToGetIt() {
        FileNotFoundException e =
                assertThrows(FileNotFoundException.class, () -> Datasets.KMNIST.locate(null));
        assertTrue(e.getMessage().startsWith("KMNIST not found"), e.getMessage());
        assertTrue(e.getMessage().contains("github.com/rois-codh/kmnist"), e.getMessage());
    }

    @Test
    void aModelFolderWrittenBeforeDatasetsWereRecordedIsFashionMnist() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("residual-12"));
        try (var in =
                DatasetsTest.class.getResourceAsStream(
                        "/io/github/depthsweep/core/zoo/stagenet/residual-12/"
                                + SavedModel.INFO_FILE)) {
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(!json.contains("\"dataset\""), "the zoo's model predates the field");
            Files.writeString(folder.resolve(SavedModel.INFO_FILE), json);
        }
        ModelInfo info = SavedModel.readInfo(folder);
        assertEquals("fashion-mnist", info.dataset());
        assertEquals(Datasets.FASHION_MNIST.classes(), info.classes());
        ModelInfo mnist = ModelInfo.of(Architecture.PLAIN, 4, Datasets.MNIST);
        assertEquals("mnist", mnist.dataset());
        assertEquals(Datasets.MNIST.classes(), mnist.classes());
        assertArrayEquals(new long[] {1, 28, 28}, mnist.inputShape());
    }

    private static IdxDataset mnist(Path folder, Usage usage) {
        return IdxDataset.builder()
                .optDataset(Datasets.MNIST)
                .optDirectory(folder)
                .optUsage(usage)
                .setSampling(10, false)
                .build();
    }

    private static void restore(String offline) {
        if (offline == null) {
            System.clearProperty("ai.djl.offline");
        } else {
            System.setProperty("ai.djl.offline", offline);
        }
    }
}
