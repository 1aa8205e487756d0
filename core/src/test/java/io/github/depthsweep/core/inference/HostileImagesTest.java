package io.github.depthsweep.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.modality.cv.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GrayscaleImages#read} on hostile files: image bombs are refused from their header, special
 * files are never opened, large images are decoded subsampled.
 */
class HostileImagesTest {

    private static final Duration QUICKLY = Duration.ofSeconds(10);

    @TempDir Path dir;

    @Test
    void theBombWriterMakesARealPng() throws IOException {
        // The bomb below is only a bomb if its data would decode: check the writer on a small one.
        Path png = dir.resolve("black.png");
        BombPng.write(png, 3000, 500); // 1.5 MB of pixels: more than one 1 MiB block
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(3000, image.getWidth());
        assertEquals(500, image.getHeight());
        assertEquals(0, image.getRaster().getSample(2999, 499, 0));
    }

    @Test
    void aBombIsRefusedFromItsHeaderBeforeDecoding() throws IOException {
        Path bomb = dir.resolve("bomb.png");
        BombPng.write(bomb, 30_000, 30_000);
        assertTrue(Files.size(bomb) < 1_500_000, "a small file: " + Files.size(bomb));

        ImageTooLargeException e =
                assertTimeoutPreemptively(
                        QUICKLY,
                        () ->
                                assertThrows(
                                        ImageTooLargeException.class,
                                        () -> GrayscaleImages.read(bomb)));
        assertEquals(30_000, e.getWidth());
        assertEquals(30_000, e.getHeight());
        assertEquals(GrayscaleImages.DEFAULT_MAX_PIXELS, e.getMaxPixels());
        assertEquals(bomb.toString(), e.getFile());
        assertEquals(
                bomb
                        + " is 30000 x 30000 = 900,000,000 pixels, over the limit of 50,000,000"
                        + " pixels.",
                e.getMessage());
    }

    @Test
    void theLimitIsInclusiveAndChosenByTheCaller() throws IOException {
        Path png = dir.resolve("100x100.png");
        BombPng.write(png, 100, 100);
        ImageTooLargeException e =
                assertThrows(ImageTooLargeException.class, () -> GrayscaleImages.read(png, 9_999));
        assertEquals(9_999, e.getMaxPixels());
        Image image = GrayscaleImages.read(png, 10_000);
        assertEquals(100, image.getWidth());
    }

    @Test
    void aSideLongerThanTheFormatsMaximumIsRefusedWhateverThePixelCount() throws IOException {
        Path png = dir.resolve("line.png");
        BombPng.write(png, 70_000, 1);
        ImageTooLargeException e =
                assertThrows(ImageTooLargeException.class, () -> GrayscaleImages.read(png));
        assertTrue(
                e.getMessage().endsWith("over the limit of 65,535 pixels a side."), e.getMessage());
    }

    @Test
    void aLargeImageIsDecodedSubsampledAndStillPreprocessed() throws IOException {
        Path png = dir.resolve("wide.png");
        BombPng.write(png, 5000, 300); // longer side over 2048: every 3rd row and column
        Image image = GrayscaleImages.read(png);
        assertEquals(1667, image.getWidth());
        assertEquals(100, image.getHeight());
        float[] pixels = GrayscaleImages.toPixels(image, Invert.NO);
        assertEquals(28 * 28, pixels.length);
        for (float value : pixels) {
            assertEquals(0f, value);
        }
    }

    @Test
    void aZeroSizedImageIsAOneLineError() throws IOException {
        Path png = dir.resolve("zero.png");
        BombPng.write(png, 0, 10);
        IOException e = assertThrows(IOException.class, () -> GrayscaleImages.read(png));
        assertTrue(e.getMessage().startsWith(png.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aNamedPipeIsReportedWithoutBeingOpened() throws Exception {
        Path pipe = dir.resolve("pipe.png");
        assumeTrue(mkfifo(pipe), "mkfifo is not available");
        // Opening it would wait for a writer for ever.
        IOException e =
                assertTimeoutPreemptively(
                        QUICKLY,
                        () -> assertThrows(IOException.class, () -> GrayscaleImages.read(pipe)));
        assertEquals(pipe + " is a named pipe, not a regular file.", e.getMessage());
    }

    @Test
    void aSocketAndADeviceAreReportedWithoutBeingOpened() throws IOException {
        Path socket = dir.resolve("socket.png");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            IOException e = assertThrows(IOException.class, () -> GrayscaleImages.read(socket));
            assertEquals(socket + " is a socket, not a regular file.", e.getMessage());
        }
        Path device = Path.of("/dev/zero"); // would never end
        assumeTrue(Files.exists(device));
        IOException e =
                assertTimeoutPreemptively(
                        QUICKLY,
                        () -> assertThrows(IOException.class, () -> GrayscaleImages.read(device)));
        assertEquals("/dev/zero is a character device, not a regular file.", e.getMessage());
    }

    @Test
    void formatsOutsidePngJpegAndGifAreNotRead() throws IOException {
        Path bmp = dir.resolve("image.bmp");
        assertTrue(
                ImageIO.write(
                        new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB),
                        "bmp",
                        bmp.toFile()));
        IOException e = assertThrows(IOException.class, () -> GrayscaleImages.read(bmp));
        assertEquals(bmp + " is not an image (PNG, JPEG or GIF expected).", e.getMessage());

        Path gif = dir.resolve("image.gif");
        assertTrue(
                ImageIO.write(
                        new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_INDEXED),
                        "gif",
                        gif.toFile()));
        assertEquals(28, GrayscaleImages.read(gif).getWidth());
    }

    /** Makes a named pipe, where the platform has {@code mkfifo}. */
    static boolean mkfifo(Path path) throws InterruptedException {
        try {
            Process process = new ProcessBuilder("mkfifo", path.toString()).start();
            return process.waitFor(10, TimeUnit.SECONDS)
                    && process.exitValue() == 0
                    && Files.exists(path);
        } catch (IOException e) {
            return false;
        }
    }
}
