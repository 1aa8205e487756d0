package io.github.depthsweep.core.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files of unsigned bytes, the format {@link IdxDataset} reads: to turn other images
 * into a dataset for {@code --data DIR}, and for a small stand-in dataset that tests and demos
 * train on without the real files ({@link #writeStripes}).
 */
public final class IdxWriter {

    private IdxWriter() {}

    /**
     * Writes one IDX file of unsigned bytes; gzipped if its name ends in {@code .gz}.
     *
     * @param file the file, e.g. {@code train-labels-idx1-ubyte.gz}
     * @param values the values, row-major
     * @param dimensions each dimension's size, e.g. {@code 300, 28, 28} for images
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if the values do not fill the dimensions
     */
    public static void write(Path file, byte[] values, int... dimensions) throws IOException {
        long count = 1;
        for (int dimension : dimensions) {
            count *= dimension;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(
                    values.length + " values do not fill dimensions of " + count);
        }
        try (OutputStream raw = Files.newOutputStream(file);
                DataOutputStream out =
                        new DataOutputStream(
                                file.toString().endsWith(".gz")
                                        ? new GZIPOutputStream(raw)
                                        : raw)) {
            out.writeInt(0x0800 | dimensions.length); // unsigned bytes, then the dimension count
            for (int dimension : dimensions) {
                out.writeInt(dimension);
            }
            out.write(values);
        }
    }

    /**
     * Writes a stand-in for an MNIST-format dataset into a folder, its four files under MNIST's
     * names: image {@code i} has label {@code i % 10} and a bright horizontal stripe at rows {@code
     * 2 * label + 4} and {@code 2 * label + 5} over faint noise, so a net learns it in a few steps.
     *
     * @param folder the folder, which must exist
     * @param trainImages images in the training split
     * @param testImages images in the test split
     * @param gzip whether to gzip the files
     * @throws IOException if a file cannot be written
     */
    public static void writeStripes(Path folder, int trainImages, int testImages, boolean gzip)
            throws IOException {
        Random random = new Random(trainImages * 31L + testImages);
        String suffix = gzip ? ".gz" : "";
        for (String prefix : new String[] {"train", "t10k"}) {
            int count = prefix.equals("train") ? trainImages : testImages;
            int side = (int) DatasetInfo.IMAGE_SHAPE.get(1);
            byte[] pixels = new byte[count * side * side];
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) (i % 10);
                for (int p = 0; p < side * side; p++) {
                    int row = p / side;
                    boolean stripe = row / 2 == labels[i] + 2;
                    pixels[i * side * side + p] =
                            (byte) (stripe ? 200 + random.nextInt(56) : random.nextInt(40));
                }
            }
            write(
                    folder.resolve(prefix + "-images-idx3-ubyte" + suffix),
                    pixels,
                    count,
                    side,
                    side);
            write(folder.resolve(prefix + "-labels-idx1-ubyte" + suffix), labels, count);
        }
    }
}
