import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Writes the first N Fashion-MNIST test images as 28x28 grayscale PNG files, named
 * {@code 00000-7.png} (index, then true class), to time {@code predict} and {@code bench --files}
 * on real files. Plain JDK, no build needed:
 *
 * <pre>
 * java app/scripts/TestSetPngs.java /usr/share/datasets/fashion-mnist /tmp/pngs 10000
 * </pre>
 */
public final class TestSetPngs {

    private TestSetPngs() {}

    /**
     * Writes the files.
     *
     * @param args the folder with {@code t10k-*-idx*-ubyte.gz}, the output folder, the count
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java TestSetPngs.java DATA_DIR OUT_DIR COUNT");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        int count = Integer.parseInt(args[2]);
        try (DataInputStream images = open(data.resolve("t10k-images-idx3-ubyte.gz"));
                DataInputStream labels = open(data.resolve("t10k-labels-idx1-ubyte.gz"))) {
            images.skipNBytes(16); // magic, count, rows, columns
            labels.skipNBytes(8); // magic, count
            byte[] pixels = new byte[28 * 28];
            for (int i = 0; i < count; i++) {
                images.readFully(pixels);
                int label = labels.readUnsignedByte();
                BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, 28, 28, pixels);
                ImageIO.write(image, "png", out.resolve(String.format("%05d-%d.png", i, label)).toFile());
            }
        }
        System.out.println("wrote " + count + " PNG files to " + out);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(in, 1 << 16));
    }
}
