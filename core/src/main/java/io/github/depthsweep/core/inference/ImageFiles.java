package io.github.depthsweep.core.inference;

import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * Decodes image files safely, for {@link GrayscaleImages#read(Path, long)}: regular files only,
 * PNG, JPEG or GIF only, the size checked from the header before decoding, large images decoded
 * subsampled. Every failure is an {@link IOException} with a one-line message naming the file.
 */
final class ImageFiles {

    /**
     * Files up to this size are read into memory in one go, which halves the time to read the small
     * images of a large folder; larger ones are read from the file as the decoder asks.
     */
    private static final long SMALL_FILE = 1 << 20;

    /** The formats read, as {@code javax.imageio} names them. */
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif");

    private ImageFiles() {}

    /**
     * Decodes an image file; see {@link GrayscaleImages#read(Path, long)}.
     *
     * @param file the image file
     * @param maxPixels the most pixels the image may have
     * @return the image, subsampled if its longer side exceeds {@link
     *     GrayscaleImages#MAX_DECODED_SIDE}
     * @throws ImageTooLargeException if it is over the limit; it is not decoded
     * @throws IOException if it cannot be read or decoded
     */
    static BufferedImage decode(Path file, long maxPixels) throws IOException {
        checkRegularFile(file);
        ImageInputStream stream;
        try {
            stream =
                    Files.size(file) <= SMALL_FILE
                            ? new BytesImageInputStream(Files.readAllBytes(file))
                            : new FileImageInputStream(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " cannot be read: " + oneLine(e), e);
        }
        try (stream) {
            ImageReader reader = readerFor(stream);
            if (reader == null) {
                throw new IOException(file + " is not an image (PNG, JPEG or GIF expected).");
            }
            try {
                reader.setInput(stream, true, true); // one image; skip the metadata
                int width;
                int height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw damaged(file, e);
                }
                GrayscaleImages.checkSize(file, width, height, maxPixels);
                BufferedImage image;
                try {
                    image = reader.read(0, subsampled(reader, width, height));
                } catch (IOException | RuntimeException e) {
                    throw damaged(file, e);
                }
                return image;
            } finally {
                reader.dispose();
            }
        }
    }

    /** Refuses anything but a regular, readable file, without opening it. */
    private static void checkRegularFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new FileNotFoundException(file + " does not exist.");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a folder, not an image.");
        }
        if (!Files.isRegularFile(file)) {
            // Opening a named pipe would wait for a writer, for ever; a device may never end.
            throw new IOException(file + " is " + specialKind(file) + ", not a regular file.");
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + " cannot be read: permission denied.");
        }
    }

    /** Names a special file's kind from its Unix mode, where the platform gives it. */
    private static String specialKind(Path file) {
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            switch (type) {
                case 0010000:
                    return "a named pipe";
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                case 0140000:
                    return "a socket";
                default:
                    break;
            }
        } catch (IOException | RuntimeException e) {
            // No Unix attributes here: fall through to the general name.
        }
        return "a special file";
    }

    /** The first reader for one of {@link #FORMATS} that recognises the stream, or null. */
    private static ImageReader readerFor(ImageInputStream stream) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                return reader;
            }
        }
        return null;
    }

    /**
     * Reads every s-th row and column when the longer side exceeds {@link
     * GrayscaleImages#MAX_DECODED_SIDE}.
     */
    private static ImageReadParam subsampled(ImageReader reader, int width, int height) {
        ImageReadParam param = reader.getDefaultReadParam();
        int side = GrayscaleImages.MAX_DECODED_SIDE;
        int step = Math.floorDiv(Math.max(width, height) + side - 1, side);
        if (step > 1) {
            param.setSourceSubsampling(step, step, 0, 0);
        }
        return param;
    }

    private static IOException damaged(Path file, Exception e) {
        return new IOException(file + " is a damaged or unsupported image: " + oneLine(e), e);
    }

    /** An image file's bytes, in memory, as the stream the decoders read. */
    private static final class BytesImageInputStream extends ImageInputStreamImpl {

        private final byte[] bytes;

        BytesImageInputStream(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            bitOffset = 0;
            return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            bitOffset = 0;
            if (length == 0) {
                return 0;
            }
            if (streamPos >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(length, bytes.length - streamPos);
            System.arraycopy(bytes, (int) streamPos, buffer, offset, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").trim();
    }
}
