package io.github.depthsweep.core.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one preprocessing: any image to (1, 28, 28) in [0, 1], light on dark. */
class FashionMnistImagesTest {

    private static final int BLACK = 0xFF000000;
    private static final int WHITE = 0xFFFFFFFF;

    private static NDManager manager;

    @TempDir Path dir;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void aGrayscale28x28PngComesOutExactlyAsTheDatasetHasIt() throws IOException {
        // Fashion-MNIST style: dark border, light item; every gray level appears.
        int[] levels = new int[28 * 28];
        for (int i = 0; i < levels.length; i++) {
            int y = i / 28;
            int x = i % 28;
            levels[i] = x == 0 || y == 0 || x == 27 || y == 27 ? 0 : (i * 7) % 256;
        }
        Path png = dir.resolve("item.png");
        writeGrayPng(levels, 28, 28, png);

        float[] input = input(FashionMnistImages.read(png), Invert.AUTO);
        for (int i = 0; i < levels.length; i++) {
            assertEquals(levels[i] / 255f, input[i], 1e-6f, "pixel " + i);
        }
    }

    @Test
    void aLightBackgroundIsInvertedUnderAutoAndYesButNotNo() {
        Image image = square(28, 28, WHITE, BLACK, 10, 18); // a black square on white
        float[] auto = input(image, Invert.AUTO);
        assertEquals(0f, auto[0], 1e-6f);
        assertEquals(1f, auto[14 * 28 + 14], 1e-6f);
        assertArrayEquals(auto, input(image, Invert.YES), 1e-6f);

        float[] kept = input(image, Invert.NO);
        assertEquals(1f, kept[0], 1e-6f);
        assertEquals(0f, kept[14 * 28 + 14], 1e-6f);

        // And a dark background is inverted only when asked to.
        Image dark = square(28, 28, BLACK, WHITE, 10, 18);
        assertEquals(0f, input(dark, Invert.AUTO)[0], 1e-6f);
        assertEquals(1f, input(dark, Invert.YES)[0], 1e-6f);
    }

    @Test
    void aWideImageIsFittedKeepingItsAspectRatioAndPaddedWithTheBackground() {
        // 112x56, a white bar on black: fitted as 28x14 in rows 7 to 20, the bar in rows 9 to 18.
        Image bar = fill(112, 56, BLACK);
        paint(bar, WHITE, 8, 104, 8, 48);
        float[] input = input(bar, Invert.AUTO);
        assertEquals(0f, input[3 * 28 + 14], 1e-5f, "padding above");
        assertEquals(0f, input[24 * 28 + 14], 1e-5f, "padding below");
        assertEquals(1f, input[14 * 28 + 14], 1e-5f, "the bar");
        assertEquals(0f, input[14 * 28], 1e-5f, "the image's own black border");

        // The padding takes the border's brightness, so a uniform image stays uniform.
        for (float value : input(fill(112, 56, WHITE), Invert.NO)) {
            assertEquals(1f, value, 1e-5f);
        }
    }

    @Test
    void colourBecomesGrayscaleAndLargeAndTinyImagesFit() {
        Image red = fill(300, 200, 0xFFFF0000);
        float[] input = input(red, Invert.NO);
        float expected = Math.round(0.299f * 255) / 255f;
        assertEquals(expected, input[14 * 28 + 14], 1e-3f);
        assertEquals(expected, input[0], 1e-3f, "padding has the border's brightness");

        try (NDManager scope = manager.newSubManager()) {
            NDArray big = FashionMnistImages.toInput(fill(2000, 1500, WHITE), scope, Invert.AUTO);
            assertEquals(new Shape(1, 28, 28), big.getShape());
            assertEquals(DataType.FLOAT32, big.getDataType());
            assertEquals(0f, big.max().getFloat(), 1e-6f, "white inverted to black");

            NDArray tiny = FashionMnistImages.toInput(fill(1, 3, WHITE), scope, Invert.NO);
            assertEquals(new Shape(1, 28, 28), tiny.getShape());
        }
    }

    @Test
    void aTransparentBackgroundIsReadAsWhiteAndSoInverted() throws IOException {
        // A cut-out: an opaque dark square, the rest transparent black.
        java.awt.image.BufferedImage cutout =
                new java.awt.image.BufferedImage(
                        28, 28, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        for (int y = 10; y < 18; y++) {
            for (int x = 10; x < 18; x++) {
                cutout.setRGB(x, y, 0xFF202020);
            }
        }
        Path png = dir.resolve("cutout.png");
        javax.imageio.ImageIO.write(cutout, "png", png.toFile());

        float[] input = input(FashionMnistImages.read(png), Invert.AUTO);
        assertEquals(0f, input[0], 1e-6f, "white background, inverted");
        assertEquals(1f - 0x20 / 255f, input[14 * 28 + 14], 1e-6f, "dark item, inverted");
    }

    @Test
    void readGivesOneLineErrorsForMissingFoldersNonImagesAndDamagedImages() throws IOException {
        assertMessage(dir.resolve("missing.png"), "does not exist");
        assertMessage(dir, "is a folder");

        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not a picture\n");
        assertMessage(text, "is not an image");

        Path empty = dir.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        assertMessage(empty, "is not an image");

        Path png = dir.resolve("whole.png");
        writeGrayPng(new int[28 * 28], 28, 28, png);
        byte[] bytes = Files.readAllBytes(png);
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertMessage(truncated, "damaged or unsupported image");
    }

    private static void assertMessage(Path file, String expected) {
        IOException e = assertThrows(IOException.class, () -> FashionMnistImages.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    private static float[] input(Image image, Invert invert) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = FashionMnistImages.toInput(image, scope, invert);
            assertEquals(new Shape(1, 28, 28), input.getShape());
            return input.toFloatArray();
        }
    }

    private static Image fill(int width, int height, int argb) {
        int[] pixels = new int[width * height];
        Arrays.fill(pixels, argb);
        return ImageFactory.getInstance().fromPixels(pixels, width, height);
    }

    private static Image square(int width, int height, int background, int ink, int from, int to) {
        Image image = fill(width, height, background);
        paint(image, ink, from, to, from, to);
        return image;
    }

    private static void paint(Image image, int argb, int x0, int x1, int y0, int y1) {
        java.awt.image.BufferedImage buffered =
                (java.awt.image.BufferedImage) image.getWrappedImage();
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                buffered.setRGB(x, y, argb);
            }
        }
    }

    /** Writes 8-bit grayscale levels as a PNG, as the samples are stored. */
    static void writeGrayPng(int[] levels, int width, int height, Path file) throws IOException {
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(
                        width, height, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, width, height, levels);
        try (OutputStream out = Files.newOutputStream(file)) {
            javax.imageio.ImageIO.write(image, "png", out);
        }
    }
}
