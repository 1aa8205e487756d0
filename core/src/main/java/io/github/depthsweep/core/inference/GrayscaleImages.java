package io.github.depthsweep.core.inference;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.depthsweep.core.data.DatasetInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Turns any image into what the nets were trained on, a 28x28 grayscale image as the MNIST-format
 * datasets hold it, and is the only place that does: the {@link StageNetTranslator} and the {@code
 * app} both call it.
 *
 * <p>Reading ({@link #read(Path, long)}) is safe on hostile files: only regular files are opened
 * (never a pipe, device or socket); the size is read from the header and an image over the pixel
 * limit is refused before it is decoded ({@link ImageTooLargeException}); and an image whose longer
 * side exceeds {@value #MAX_DECODED_SIDE} pixels is decoded subsampled (every s-th row and column),
 * so that a decoded image never holds more than {@value #MAX_DECODED_SIDE} x {@value
 * #MAX_DECODED_SIDE} pixels.
 *
 * <p>The preprocessing ({@link #toPixels}), in order: transparent pixels shown on white; to
 * grayscale (0.299 R + 0.587 G + 0.114 B, rounded to 8 bits as DJL does; gray images keep their own
 * levels); scaled to [0, 1]; inverted if {@link Invert} says so, which by default looks at the
 * brightness of the image's border; fitted into 28x28 keeping the aspect ratio (the longer side
 * becomes 28, area-averaged when shrinking, bilinear when enlarging, as PyTorch's {@code
 * interpolate} does) and centred on a canvas of the border's brightness. A 28x28 image is not
 * resampled, so a dataset's own images come out exactly as in the dataset. It runs in plain Java
 * ({@code GrayRows}, then one pass over the rows), without copies of the image: per image it costs
 * a few microseconds at 28x28, and no engine calls. The file handling is in {@code ImageFiles}.
 *
 * <pre>{@code
 * Image image = GrayscaleImages.read(Path.of("shoe.jpg"));
 * NDArray input = GrayscaleImages.toInput(image, manager, Invert.AUTO); // (1, 28, 28)
 * }</pre>
 */
public final class GrayscaleImages {

    /** The side of the square the nets take, in pixels. */
    public static final int SIZE = (int) DatasetInfo.IMAGE_SHAPE.get(1);

    /**
     * The default pixel limit, 50 megapixels: above a 50 MP camera's photo, and low enough that
     * decoding anything within it (a progressive JPEG holds about 6 bytes a pixel while decoding)
     * keeps a process that also runs the engine under 1 GB. Pillow's {@code
     * Image.MAX_IMAGE_PIXELS}, 89,478,485, is the usual reference; ours is lower for that reason.
     */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    /**
     * The longest side an image may have, whatever the pixel limit: JPEG's and GIF's own maximum.
     * It bounds the decoders' row buffers.
     */
    public static final int MAX_SIDE = 65_535;

    /** Images with a longer side are decoded subsampled to at most this many pixels a side. */
    public static final int MAX_DECODED_SIDE = 2048;

    private GrayscaleImages() {}

    /**
     * Reads an image file with the {@linkplain #DEFAULT_MAX_PIXELS default pixel limit}.
     *
     * @param file the image file: PNG, JPEG or GIF
     * @return the image; subsampled if its longer side exceeds {@value #MAX_DECODED_SIDE}
     * @throws ImageTooLargeException if it has more pixels than the limit or a side longer than
     *     {@value #MAX_SIDE}; it is not decoded
     * @throws IOException if the file is missing, is a folder, a pipe, a device or a socket, cannot
     *     be read, is not an image or is damaged; the message is one line that names the file
     */
    public static Image read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_PIXELS);
    }

    /**
     * Reads an image file: PNG, JPEG or GIF. The file is opened only if it is a regular file, and
     * its size is checked from its header before anything is decoded.
     *
     * @param file the image file
     * @param maxPixels the most pixels (width x height) the image may have
     * @return the image; subsampled if its longer side exceeds {@value #MAX_DECODED_SIDE}
     * @throws ImageTooLargeException if it has more pixels than {@code maxPixels} or a side longer
     *     than {@value #MAX_SIDE}; it is not decoded
     * @throws IOException if the file is missing, is a folder, a pipe, a device or a socket, cannot
     *     be read, is not an image or is damaged; the message is one line that names the file
     */
    public static Image read(Path file, long maxPixels) throws IOException {
        return ImageFactory.getInstance().fromImage(ImageFiles.decode(file, maxPixels));
    }

    /**
     * Checks an image's size against a pixel limit and {@value #MAX_SIDE} pixels a side.
     *
     * @param file the image's file, for the message, or {@code null}
     * @param width its width
     * @param height its height
     * @param maxPixels the most pixels it may have
     * @throws ImageTooLargeException if it is larger
     * @throws IOException if it is empty (no pixels)
     */
    static void checkSize(Path file, long width, long height, long maxPixels) throws IOException {
        if (width < 1 || height < 1) {
            String what = file == null ? "The image" : file.toString();
            throw new IOException(
                    what + " is an empty image (" + width + " x " + height + " pixels).");
        }
        if (width > MAX_SIDE || height > MAX_SIDE || width * height > maxPixels) {
            throw new ImageTooLargeException(file, width, height, maxPixels);
        }
    }

    /**
     * Turns an image into one input of the nets, as described above.
     *
     * @param image any image, any size, colour or grayscale
     * @param manager the manager that will own the result
     * @param invert whether to invert brightness
     * @return the image as (1, 28, 28) float32 in [0, 1]
     */
    public static NDArray toInput(Image image, NDManager manager, Invert invert) {
        return manager.create(toPixels(image, invert), new Shape(1, SIZE, SIZE));
    }

    /**
     * Turns an image into the 28x28 values the nets take, as described above, in plain Java.
     *
     * @param image any image, any size, colour or grayscale
     * @param invert whether to invert brightness
     * @return 28 x 28 values in [0, 1], row by row
     */
    public static float[] toPixels(Image image, Invert invert) {
        return toPixels(GrayRows.of(image), invert);
    }

    /** The preprocessing on a grayscale image given row by row; see the class comment. */
    static float[] toPixels(GrayRows image, Invert invert) {
        int height = image.height();
        int width = image.width();
        double scale = (double) SIZE / Math.max(height, width);
        int fittedHeight = Math.max(1, Math.min(SIZE, (int) Math.round(height * scale)));
        int fittedWidth = Math.max(1, Math.min(SIZE, (int) Math.round(width * scale)));

        Fitted fitted;
        if (fittedHeight == height && fittedWidth == width) {
            fitted = Fitted.copy(image);
        } else if (scale < 1) {
            fitted = Fitted.areaAverage(image, fittedHeight, fittedWidth);
        } else {
            fitted = Fitted.bilinear(image, fittedHeight, fittedWidth);
        }

        float background = fitted.border;
        boolean inverted = invert.appliesTo(background);
        if (inverted) {
            background = 1f - background;
        }
        float[] canvas = new float[SIZE * SIZE];
        Arrays.fill(canvas, clip(background));
        int top = (SIZE - fittedHeight) / 2;
        int left = (SIZE - fittedWidth) / 2;
        for (int y = 0; y < fittedHeight; y++) {
            for (int x = 0; x < fittedWidth; x++) {
                float value = fitted.values[y * fittedWidth + x];
                canvas[(top + y) * SIZE + left + x] = clip(inverted ? 1f - value : value);
            }
        }
        return canvas;
    }

    private static float clip(float value) {
        return Math.max(0f, Math.min(1f, value));
    }

    /** An image fitted to its new size, and the mean brightness of the original's border. */
    private static final class Fitted {

        final float[] values;
        final float border;

        private Fitted(float[] values, float border) {
            this.values = values;
            this.border = border;
        }

        /** The image as it is: its longer side is already {@link #SIZE}. */
        static Fitted copy(GrayRows image) {
            int width = image.width();
            float[] values = new float[image.height() * width];
            Border border = new Border(image);
            float[] row = new float[width];
            for (int y = 0; y < image.height(); y++) {
                image.row(y, row);
                border.add(y, row);
                System.arraycopy(row, 0, values, y * width, width);
            }
            return new Fitted(values, border.mean());
        }

        /**
         * Shrunk by area averaging, as PyTorch's {@code adaptive_avg_pool2d}: output cell (i, j) is
         * the mean of input rows floor(i H / h) to ceil((i + 1) H / h) and the same for columns.
         * One pass over the rows.
         */
        static Fitted areaAverage(GrayRows image, int height, int width) {
            int inHeight = image.height();
            int inWidth = image.width();
            int[] rowStart = starts(inHeight, height);
            int[] rowEnd = ends(inHeight, height);
            int[] columnStart = starts(inWidth, width);
            int[] columnEnd = ends(inWidth, width);
            double[] sums = new double[height * width];
            double[] columnSums = new double[width];
            float[] row = new float[inWidth];
            Border border = new Border(image);
            int first = 0; // the first output row that input row y still contributes to
            for (int y = 0; y < inHeight; y++) {
                image.row(y, row);
                border.add(y, row);
                for (int j = 0; j < width; j++) {
                    double sum = 0;
                    for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                        sum += row[x];
                    }
                    columnSums[j] = sum;
                }
                while (rowEnd[first] <= y) {
                    first++;
                }
                for (int i = first; i < height && rowStart[i] <= y; i++) {
                    for (int j = 0; j < width; j++) {
                        sums[i * width + j] += columnSums[j];
                    }
                }
            }
            float[] values = new float[height * width];
            for (int i = 0; i < height; i++) {
                for (int j = 0; j < width; j++) {
                    long cells = (long) (rowEnd[i] - rowStart[i]) * (columnEnd[j] - columnStart[j]);
                    values[i * width + j] = (float) (sums[i * width + j] / cells);
                }
            }
            return new Fitted(values, border.mean());
        }

        private static int[] starts(int in, int out) {
            int[] starts = new int[out];
            for (int i = 0; i < out; i++) {
                starts[i] = (int) ((long) i * in / out);
            }
            return starts;
        }

        private static int[] ends(int in, int out) {
            int[] ends = new int[out];
            for (int i = 0; i < out; i++) {
                ends[i] = (int) (((long) (i + 1) * in + out - 1) / out);
            }
            return ends;
        }

        /**
         * Enlarged bilinearly, as PyTorch's {@code upsample_bilinear2d} without aligned corners.
         * Only images smaller than {@link #SIZE} on both sides get here, so they are held whole.
         */
        static Fitted bilinear(GrayRows image, int height, int width) {
            Fitted whole = copy(image);
            int inHeight = image.height();
            int inWidth = image.width();
            float[] values = new float[height * width];
            float rowScale = (float) inHeight / height;
            float columnScale = (float) inWidth / width;
            for (int i = 0; i < height; i++) {
                float sourceRow = Math.max(rowScale * (i + 0.5f) - 0.5f, 0f);
                int y0 = (int) sourceRow;
                int y1 = y0 < inHeight - 1 ? y0 + 1 : y0;
                float dy = sourceRow - y0;
                for (int j = 0; j < width; j++) {
                    float sourceColumn = Math.max(columnScale * (j + 0.5f) - 0.5f, 0f);
                    int x0 = (int) sourceColumn;
                    int x1 = x0 < inWidth - 1 ? x0 + 1 : x0;
                    float dx = sourceColumn - x0;
                    float[] v = whole.values;
                    values[i * width + j] =
                            (1 - dy) * ((1 - dx) * v[y0 * inWidth + x0] + dx * v[y0 * inWidth + x1])
                                    + dy
                                            * ((1 - dx) * v[y1 * inWidth + x0]
                                                    + dx * v[y1 * inWidth + x1]);
                }
            }
            return new Fitted(values, whole.border);
        }
    }

    /**
     * The mean brightness of an image's outermost rows and columns, its background for the photos
     * and drawings people classify; of all its pixels when it is at most 2 pixels high or wide.
     */
    private static final class Border {

        private final int height;
        private final int width;
        private double border;
        private double all;

        Border(GrayRows image) {
            this.height = image.height();
            this.width = image.width();
        }

        void add(int y, float[] row) {
            double sum = 0;
            for (int x = 0; x < width; x++) {
                sum += row[x];
            }
            all += sum;
            if (y == 0 || y == height - 1) {
                border += sum;
            } else {
                border += row[0] + row[width - 1];
            }
        }

        float mean() {
            if (height <= 2 || width <= 2) {
                return (float) (all / ((long) height * width));
            }
            return (float) (border / (2L * width + 2L * (height - 2)));
        }
    }
}
