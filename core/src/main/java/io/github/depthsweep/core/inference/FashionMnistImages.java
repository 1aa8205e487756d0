package io.github.depthsweep.core.inference;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.depthsweep.core.data.FashionMnistDataset;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns any image into what the nets were trained on, and is the only place that does: the {@link
 * FashionMnistTranslator} and the {@code app} both call it.
 *
 * <p>The steps, in order: transparent pixels shown on white; to grayscale (0.299 R + 0.587 G +
 * 0.114 B); scaled to [0, 1]; inverted if {@link Invert} says so, which by default looks at the
 * brightness of the image's border; fitted into 28x28 keeping the aspect ratio (the longer side
 * becomes 28, area-averaged when shrinking, bilinear when enlarging) and centred on a canvas of the
 * border's brightness; as (1, 28, 28) float32. A 28x28 image is not resampled, so Fashion-MNIST's
 * own images come out exactly as in the dataset.
 *
 * <pre>{@code
 * Image image = FashionMnistImages.read(Path.of("shoe.jpg"));
 * NDArray input = FashionMnistImages.toInput(image, manager, Invert.AUTO); // (1, 28, 28)
 * }</pre>
 */
public final class FashionMnistImages {

    /** The side of the square the nets take, in pixels. */
    public static final int SIZE = FashionMnistDataset.IMAGE_SIZE;

    private FashionMnistImages() {}

    /**
     * Reads an image file through DJL's {@link ImageFactory}: PNG, JPEG, and whatever else the
     * platform's decoder reads (on the JVM, {@code javax.imageio}: also GIF and BMP).
     *
     * @param file the image file
     * @return the image
     * @throws IOException if the file is missing, is a folder, cannot be read, is not an image or
     *     is damaged; the message is one line that names the file
     */
    public static Image read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new FileNotFoundException(file + " does not exist.");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a folder, not an image.");
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + " cannot be read: permission denied.");
        }
        Image image;
        try {
            image = ImageFactory.getInstance().fromFile(file);
        } catch (IOException | RuntimeException e) {
            // No decoder recognised the bytes: DJL says so without a cause.
            if (e instanceof IOException
                    && e.getCause() == null
                    && String.valueOf(e.getMessage()).startsWith("Failed to read image")) {
                throw new IOException(file + " is not an image (PNG or JPEG expected).", e);
            }
            throw new IOException(file + " is a damaged or unsupported image: " + oneLine(e), e);
        }
        if (image.getWidth() < 1 || image.getHeight() < 1) {
            throw new IOException(file + " is an empty image.");
        }
        return image;
    }

    /**
     * Shows a transparent image on white, as image viewers do. Cut-out product photos are PNGs with
     * transparent backgrounds whose hidden colour is often black; read as they are, the item would
     * sit on black and {@link Invert#AUTO} would not invert it.
     */
    private static Image onWhite(Image image) {
        if (!(image.getWrappedImage() instanceof BufferedImage buffered)
                || !buffered.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage opaque =
                new BufferedImage(
                        buffered.getWidth(), buffered.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = opaque.createGraphics();
        try {
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, opaque.getWidth(), opaque.getHeight());
            graphics.drawImage(buffered, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return ImageFactory.getInstance().fromImage(opaque);
    }

    /**
     * Turns an image into one input of the nets, as described above.
     *
     * @param image any image, any size, colour or grayscale
     * @param manager the manager that will own the result; intermediate arrays are freed
     * @param invert whether to invert brightness
     * @return the image as (1, 28, 28) float32 in [0, 1]
     */
    public static NDArray toInput(Image image, NDManager manager, Invert invert) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray pixels =
                    onWhite(image)
                            .toNDArray(scope, Image.Flag.GRAYSCALE)
                            .toType(DataType.FLOAT32, false)
                            .divi(255f);
            float background = borderBrightness(pixels);
            if (invert.appliesTo(background)) {
                pixels = pixels.neg().addi(1f);
                background = 1f - background;
            }
            NDArray input = fit(pixels, background).transpose(2, 0, 1).clip(0f, 1f);
            input.attach(manager);
            return input;
        }
    }

    /**
     * Returns the mean brightness of an image's outermost rows and columns: its background, for the
     * photos and drawings people classify.
     *
     * @param pixels the image, (H, W, 1) in [0, 1]
     * @return the mean brightness of the border, 0 to 1
     */
    static float borderBrightness(NDArray pixels) {
        long height = pixels.getShape().get(0);
        long width = pixels.getShape().get(1);
        if (height <= 2 || width <= 2) {
            return pixels.mean().getFloat();
        }
        float sum =
                pixels.get("0, :").sum().getFloat()
                        + pixels.get("-1, :").sum().getFloat()
                        + pixels.get("1:-1, 0").sum().getFloat()
                        + pixels.get("1:-1, -1").sum().getFloat();
        return sum / (2 * width + 2 * (height - 2));
    }

    /** Scales (H, W, 1) so that its longer side is {@link #SIZE}, centred on a square canvas. */
    private static NDArray fit(NDArray pixels, float background) {
        int height = (int) pixels.getShape().get(0);
        int width = (int) pixels.getShape().get(1);
        if (height == SIZE && width == SIZE) {
            return pixels;
        }
        double scale = (double) SIZE / Math.max(height, width);
        int fittedHeight = Math.max(1, Math.min(SIZE, (int) Math.round(height * scale)));
        int fittedWidth = Math.max(1, Math.min(SIZE, (int) Math.round(width * scale)));
        // Area averaging keeps thin details when shrinking; it would make blocks when enlarging.
        Image.Interpolation interpolation =
                scale < 1 ? Image.Interpolation.AREA : Image.Interpolation.BILINEAR;
        NDArray resized = NDImageUtils.resize(pixels, fittedWidth, fittedHeight, interpolation);
        NDArray canvas = pixels.getManager().full(new Shape(SIZE, SIZE, 1), background);
        int top = (SIZE - fittedHeight) / 2;
        int left = (SIZE - fittedWidth) / 2;
        canvas.set(
                new NDIndex("{}:{}, {}:{}", top, top + fittedHeight, left, left + fittedWidth),
                resized);
        return canvas;
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").trim();
    }
}
