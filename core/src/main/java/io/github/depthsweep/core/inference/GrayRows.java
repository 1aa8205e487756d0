package io.github.depthsweep.core.inference;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;

/**
 * A grayscale image in [0, 1], transparent pixels on white, read one row at a time so that no copy
 * of a large image is made.
 */
abstract class GrayRows {

    private static final float RED = 0.299f;
    private static final float GREEN = 0.587f;
    private static final float BLUE = 0.114f;

    abstract int width();

    abstract int height();

    /** Writes row {@code y}'s {@link #width()} values into {@code out}. */
    abstract void row(int y, float[] out);

    /** The rows of a DJL image: directly from a {@link BufferedImage}, else through DJL. */
    static GrayRows of(Image image) {
        if (image.getWrappedImage() instanceof BufferedImage buffered) {
            return of(buffered);
        }
        // Another ImageFactory (OpenCV): its own grayscale conversion, through the engine.
        try (NDManager manager = NDManager.newBaseManager()) {
            byte[] levels = image.toNDArray(manager, Image.Flag.GRAYSCALE).toByteArray();
            return of(levels, image.getWidth(), image.getHeight());
        }
    }

    /** The rows of a {@link BufferedImage}, whatever its type. */
    static GrayRows of(BufferedImage image) {
        ColorModel model = image.getColorModel();
        int bands = model.hasAlpha() ? 2 : 1;
        if (model instanceof ComponentColorModel
                && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && image.getRaster().getNumBands() == bands
                && !model.isAlphaPremultiplied()) {
            return new GraySamples(image);
        }
        return new RgbRows(image);
    }

    /** The rows of 8-bit gray levels, row by row. */
    static GrayRows of(byte[] levels, int width, int height) {
        return new GrayRows() {
            @Override
            int width() {
                return width;
            }

            @Override
            int height() {
                return height;
            }

            @Override
            void row(int y, float[] out) {
                for (int x = 0; x < width; x++) {
                    out[x] = (levels[y * width + x] & 0xFF) / 255f;
                }
            }
        };
    }

    /** Gray images (8 or 16 bits, with or without alpha): their own levels, as stored. */
    private static final class GraySamples extends GrayRows {

        private final Raster raster;
        private final boolean alpha;
        private final float grayMax;
        private final float alphaMax;
        private final int[] samples;

        GraySamples(BufferedImage image) {
            ColorModel model = image.getColorModel();
            this.raster = image.getRaster();
            this.alpha = model.hasAlpha();
            this.grayMax = (1 << model.getComponentSize(0)) - 1;
            this.alphaMax = alpha ? (1 << model.getComponentSize(1)) - 1 : 1;
            this.samples = new int[raster.getWidth() * raster.getNumBands()];
        }

        @Override
        int width() {
            return raster.getWidth();
        }

        @Override
        int height() {
            return raster.getHeight();
        }

        @Override
        void row(int y, float[] out) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width(), 1, samples);
            if (!alpha) {
                for (int x = 0; x < width(); x++) {
                    out[x] = samples[x] / grayMax;
                }
                return;
            }
            for (int x = 0; x < width(); x++) {
                float gray = samples[2 * x] / grayMax;
                float opacity = samples[2 * x + 1] / alphaMax;
                out[x] = gray * opacity + (1f - opacity); // on white
            }
        }
    }

    /** Any other image: its sRGB colours, on white where transparent, to 8-bit gray. */
    private static final class RgbRows extends GrayRows {

        private final BufferedImage image;
        private final int[] argb;

        RgbRows(BufferedImage image) {
            this.image = image;
            this.argb = new int[image.getWidth()];
        }

        @Override
        int width() {
            return image.getWidth();
        }

        @Override
        int height() {
            return image.getHeight();
        }

        @Override
        void row(int y, float[] out) {
            image.getRGB(0, y, width(), 1, argb, 0, width());
            for (int x = 0; x < width(); x++) {
                int pixel = argb[x];
                float red = (pixel >> 16) & 0xFF;
                float green = (pixel >> 8) & 0xFF;
                float blue = pixel & 0xFF;
                int alpha = pixel >>> 24;
                if (alpha < 255) {
                    float opacity = alpha / 255f;
                    float white = 255f * (1f - opacity);
                    red = red * opacity + white;
                    green = green * opacity + white;
                    blue = blue * opacity + white;
                }
                out[x] = Math.round(RED * red + GREEN * green + BLUE * blue) / 255f;
            }
        }
    }
}
