package io.github.depthsweep.core.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An image refused for its size before it was decoded (by {@link GrayscaleImages#read(Path, long)})
 * or before it was preprocessed (by {@link StageNetTranslator}): more pixels than the limit, or a
 * side longer than {@value GrayscaleImages#MAX_SIDE} pixels. An image bomb, a small file that
 * declares a huge image, ends here instead of exhausting memory.
 *
 * <p>Through a DJL {@code Predictor} it arrives as the cause of a {@code TranslateException}.
 */
public final class ImageTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The image's file, or {@code null} for an image in memory. */
    private final String file;

    /** The image's width in pixels. */
    private final long width;

    /** The image's height in pixels. */
    private final long height;

    /** The limit the image exceeds. */
    private final long maxPixels;

    /**
     * Creates the exception.
     *
     * @param file the image's file, or {@code null} for an image in memory
     * @param width its width in pixels
     * @param height its height in pixels
     * @param maxPixels the limit it exceeds
     */
    public ImageTooLargeException(Path file, long width, long height, long maxPixels) {
        super(message(file, width, height, maxPixels));
        this.file = file == null ? null : file.toString();
        this.width = width;
        this.height = height;
        this.maxPixels = maxPixels;
    }

    /**
     * Returns the image's file as it was named.
     *
     * @return the file, or {@code null} for an image in memory
     */
    public String getFile() {
        return file;
    }

    /**
     * Returns the image's width, as its header declares it.
     *
     * @return the width in pixels
     */
    public long getWidth() {
        return width;
    }

    /**
     * Returns the image's height, as its header declares it.
     *
     * @return the height in pixels
     */
    public long getHeight() {
        return height;
    }

    /**
     * Returns the pixel limit in force.
     *
     * @return the most pixels an image may have
     */
    public long getMaxPixels() {
        return maxPixels;
    }

    private static String message(Path file, long width, long height, long maxPixels) {
        String what = file == null ? "The image" : file.toString();
        if (width > GrayscaleImages.MAX_SIDE || height > GrayscaleImages.MAX_SIDE) {
            return String.format(
                    Locale.ROOT,
                    "%s is %d x %d pixels, over the limit of %,d pixels a side.",
                    what,
                    width,
                    height,
                    GrayscaleImages.MAX_SIDE);
        }
        return String.format(
                Locale.ROOT,
                "%s is %d x %d = %,d pixels, over the limit of %,d pixels.",
                what,
                width,
                height,
                width * height,
                maxPixels);
    }
}
