package io.github.depthsweep.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {

    @TempDir Path dir;

    @Test
    void readsGzippedAndPlainIdxFilesScaledToUnitRange() throws IOException {
        writeImages("t10k-images-idx3-ubyte.gz", 3, 28, 28, 0, true);
        writeLabels("t10k-labels-idx1-ubyte", new byte[] {9, 0, 4}, true);
        try (IdxDataset test = dataset(Usage.TEST, Long.MAX_VALUE)) {
            test.prepare();
            assertEquals(3, test.size());
            NDArray images = test.images();
            assertEquals(new Shape(3, 1, 28, 28), images.getShape());
            // pixel i of every image is i % 256, so the first values are 0, 1/255, 2/255
            assertEquals(1f / 255, images.get(0, 0, 0, 1).getFloat(), 1e-7);
            assertEquals(255f / 255, images.get(1, 0, 9, 3).getFloat(), 1e-7);
            assertArrayEquals(new float[] {9, 0, 4}, test.labels().toFloatArray());
            assertEquals(dir.toString(), test.getSource());
        }
    }

    @Test
    void limitKeepsTheFirstImagesAndBatchesComeOutNchw() throws Exception {
        writeImages("train-images-idx3-ubyte.gz", 10, 28, 28, 0, true);
        writeLabels("train-labels-idx1-ubyte.gz", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, true);
        try (IdxDataset train = dataset(Usage.TRAIN, 4);
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(4, train.size());
            int seen = 0;
            for (Batch batch : train.getData(manager)) {
                assertEquals(new Shape(2, 1, 28, 28), batch.getData().head().getShape());
                seen += batch.getSize();
                batch.close();
            }
            assertEquals(4, seen);
        }
    }

    @Test
    void missingFolderSaysHowToInstallTheData() {
        IOException e = prepareFails(dataset(dir.resolve("nowhere"), Usage.TRAIN));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(
                e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() throws IOException {
        writeLabels("train-labels-idx1-ubyte.gz", new byte[] {1}, true);
        IOException e = prepareFails(dataset(Usage.TRAIN, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(
                e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void labelFileInPlaceOfImagesIsAWrongMagicNumber() throws IOException {
        writeLabels("train-images-idx3-ubyte.gz", new byte[] {1, 2}, true);
        writeLabels("train-labels-idx1-ubyte.gz", new byte[] {1, 2}, true);
        IOException e = prepareFails(dataset(Usage.TRAIN, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801"), e.getMessage());
    }

    @Test
    void truncatedFileSaysHowMuchIsMissing() throws IOException {
        writeImages("train-images-idx3-ubyte", 2, 28, 28, 100, false);
        writeLabels("train-labels-idx1-ubyte", new byte[] {1, 2}, false);
        IOException e = prepareFails(dataset(Usage.TRAIN, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte: truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("promises 1568 bytes of data but it holds 1468"));
    }

    @Test
    void truncatedGzipStreamIsReported() throws IOException {
        writeImages("train-images-idx3-ubyte.gz", 2, 28, 28, 0, true);
        writeLabels("train-labels-idx1-ubyte.gz", new byte[] {1, 2}, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = prepareFails(dataset(Usage.TRAIN, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte: cannot be read"));
    }

    @Test
    void imageAndLabelCountsMustMatch() throws IOException {
        writeImages("t10k-images-idx3-ubyte.gz", 3, 28, 28, 0, true);
        writeLabels("t10k-labels-idx1-ubyte.gz", new byte[] {1, 2}, true);
        IOException e = prepareFails(dataset(Usage.TEST, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("3 images but 2 labels"), e.getMessage());
    }

    @Test
    void imagesMustBe28By28() throws IOException {
        writeImages("t10k-images-idx3-ubyte.gz", 2, 32, 32, 0, true);
        writeLabels("t10k-labels-idx1-ubyte.gz", new byte[] {1, 2}, true);
        IOException e = prepareFails(dataset(Usage.TEST, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("are 32x32; Fashion-MNIST's are 28x28"));
    }

    @Test
    void labelsOutsideTheTenClassesAreRefused() throws IOException {
        writeImages("t10k-images-idx3-ubyte.gz", 2, 28, 28, 0, true);
        writeLabels("t10k-labels-idx1-ubyte.gz", new byte[] {1, 12}, true);
        IOException e = prepareFails(dataset(Usage.TEST, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("label 12 at index 1"), e.getMessage());
    }

    @Test
    void buildingWithoutSamplingSaysWhatToCall() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> IdxDataset.builder().build());
        assertTrue(e.getMessage().contains("setSampling"));
    }

    /** The real data from Debian's dataset-fashion-mnist, which .ci/run installs. */
    @Test
    void realFashionMnistHasTheKnownCountsLabelsAndRange() throws IOException {
        try (IdxDataset train = realDataset(Usage.TRAIN);
                IdxDataset test = realDataset(Usage.TEST)) {
            train.prepare();
            test.prepare();
            assertEquals(60_000, train.size());
            assertEquals(10_000, test.size());
            assertEquals(
                    9, train.labels().getFloat(0), "the first training image is an ankle boot");
            assertEquals("Ankle boot", Datasets.FASHION_MNIST.classes().get(9));
            for (IdxDataset split : new IdxDataset[] {train, test}) {
                NDArray images = split.images();
                assertEquals(0f, images.min().getFloat());
                assertEquals(1f, images.max().getFloat());
                NDArray labels = split.labels();
                assertEquals(0f, labels.min().getFloat());
                assertEquals(9f, labels.max().getFloat());
            }
        }
    }

    private static IdxDataset realDataset(Usage usage) {
        return IdxDataset.builder().optUsage(usage).setSampling(100, false).build();
    }

    private IdxDataset dataset(Usage usage, long limit) {
        return IdxDataset.builder()
                .optDirectory(dir)
                .optUsage(usage)
                .optLimit(limit)
                .setSampling(2, false)
                .build();
    }

    private static IdxDataset dataset(Path folder, Usage usage) {
        return IdxDataset.builder()
                .optDirectory(folder)
                .optUsage(usage)
                .setSampling(2, false)
                .build();
    }

    private static IOException prepareFails(IdxDataset dataset) {
        try (dataset) {
            return assertThrows(IOException.class, dataset::prepare);
        }
    }

    /** Writes an IDX image file whose pixel i is i % 256, short by {@code missing} bytes. */
    private void writeImages(String name, int count, int rows, int cols, int missing, boolean gzip)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxFile.IMAGES_MAGIC);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < count * rows * cols - missing; i++) {
            out.writeByte(i % (rows * cols) % 256);
        }
        write(name, bytes.toByteArray(), gzip);
    }

    private void writeLabels(String name, byte[] labels, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxFile.LABELS_MAGIC);
        out.writeInt(labels.length);
        out.write(labels);
        write(name, bytes.toByteArray(), gzip);
    }

    private void write(String name, byte[] content, boolean gzip) throws IOException {
        try (OutputStream file = Files.newOutputStream(dir.resolve(name));
                OutputStream out = gzip ? new GZIPOutputStream(file) : file) {
            out.write(content);
        }
    }
}
