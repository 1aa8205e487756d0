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
class GrayscaleImagesTest {

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

        float[] input = input(GrayscaleImages.read(png), Invert.AUTO);
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
            NDArray big = GrayscaleImages.toInput(fill(2000, 1500, WHITE), scope, Invert.AUTO);
            assertEquals(new Shape(1, 28, 28), big.getShape());
            assertEquals(DataType.FLOAT32, big.getDataType());
            assertEquals(0f, big.max().getFloat(), 1e-6f, "white inverted to black");

            NDArray tiny = GrayscaleImages.toInput(fill(1, 3, WHITE), scope, Invert.NO);
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

        float[] input = input(GrayscaleImages.read(png), Invert.AUTO);
        assertEquals(0f, input[0], 1e-6f, "white background, inverted");
        assertEquals(1f - 0x20 / 255f, input[14 * 28 + 14], 1e-6f, "dark item, inverted");
    }

    @Test
    void theJavaPreprocessingMatchesTheEngineResizeItReplaced() {
        // Before it ran in plain Java, the preprocessing was NDArray operations through the
        // engine: PyTorch's area interpolation to shrink, bilinear to enlarge. Same results.
        int[][] sizes = {
            {112, 56},
            {57, 31},
            {300, 200},
            {29, 100},
            {100, 29},
            {5, 13},
            {1, 3},
            {27, 27},
            {13, 28},
            {2000, 3},
            {641, 479},
            {28, 28}
        };
        java.util.Random random = new java.util.Random(42);
        for (int[] size : sizes) {
            int[] argb = new int[size[0] * size[1]];
            for (int i = 0; i < argb.length; i++) {
                argb[i] = 0xFF000000 | random.nextInt(0x1000000);
            }
            Image image = ImageFactory.getInstance().fromPixels(argb, size[0], size[1]);
            for (Invert invert : new Invert[] {Invert.NO, Invert.YES}) {
                float[] expected = engineReference(image, invert);
                float[] actual = GrayscaleImages.toPixels(image, invert);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(
                            expected[i],
                            actual[i],
                            2e-6f,
                            size[0] + "x" + size[1] + " " + invert + ", pixel " + i);
                }
            }
        }
    }

    @Test
    void sixteenBitGrayKeepsItsLevels() throws IOException {
        java.awt.image.BufferedImage gray =
                new java.awt.image.BufferedImage(
                        28, 28, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        int[] levels = new int[28 * 28];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = i % 28 == 0 || i < 28 ? 0 : i * 83;
        }
        gray.getRaster().setPixels(0, 0, 28, 28, levels);
        Path png = dir.resolve("gray16.png");
        javax.imageio.ImageIO.write(gray, "png", png.toFile());
        float[] input = GrayscaleImages.toPixels(GrayscaleImages.read(png), Invert.NO);
        for (int i = 0; i < levels.length; i++) {
            assertEquals(levels[i] / 65535f, input[i], 1e-6f, "pixel " + i);
        }
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
        IOException e = assertThrows(IOException.class, () -> GrayscaleImages.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    private static float[] input(Image image, Invert invert) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = GrayscaleImages.toInput(image, scope, invert);
            assertEquals(new Shape(1, 28, 28), input.getShape());
            return input.toFloatArray();
        }
    }

    /**
     * The preprocessing as it was, in NDArray operations through the engine (opaque images):
     * grayscale, inversion, then NDImageUtils.resize and a padded canvas.
     */
    private static float[] engineReference(Image image, Invert invert) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray pixels =
                    image.toNDArray(scope, Image.Flag.GRAYSCALE)
                            .toType(DataType.FLOAT32, false)
                            .divi(255f);
            long height = pixels.getShape().get(0);
            long width = pixels.getShape().get(1);
            float background;
            if (height <= 2 || width <= 2) {
                background = pixels.mean().getFloat();
            } else {
                float sum =
                        pixels.get("0, :").sum().getFloat()
                                + pixels.get("-1, :").sum().getFloat()
                                + pixels.get("1:-1, 0").sum().getFloat()
                                + pixels.get("1:-1, -1").sum().getFloat();
                background = sum / (2 * width + 2 * (height - 2));
            }
            if (invert.appliesTo(background)) {
                pixels = pixels.neg().addi(1f);
                background = 1f - background;
            }
            NDArray fitted = pixels;
            if (height != 28 || width != 28) {
                double scale = 28.0 / Math.max(height, width);
                int fittedHeight = Math.max(1, Math.min(28, (int) Math.round(height * scale)));
                int fittedWidth = Math.max(1, Math.min(28, (int) Math.round(width * scale)));
                NDArray resized =
                        ai.djl.modality.cv.util.NDImageUtils.resize(
                                pixels,
                                fittedWidth,
                                fittedHeight,
                                scale < 1
                                        ? Image.Interpolation.AREA
                                        : Image.Interpolation.BILINEAR);
                fitted = scope.full(new Shape(28, 28, 1), background);
                int top = (28 - fittedHeight) / 2;
                int left = (28 - fittedWidth) / 2;
                fitted.set(
                        new ai.djl.ndarray.index.NDIndex(
                                "{}:{}, {}:{}", top, top + fittedHeight, left, left + fittedWidth),
                        resized);
            }
            return fitted.transpose(2, 0, 1).clip(0f, 1f).toFloatArray();
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
