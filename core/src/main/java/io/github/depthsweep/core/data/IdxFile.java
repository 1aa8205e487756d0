package io.github.depthsweep.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file (the format of Zalando's and LeCun's MNIST files), read whole and checked: magic
 * number, dimensions and length. Gzipped files are recognised by their first two bytes.
 */
final class IdxFile {

    /** Magic number of an IDX file of unsigned bytes with 3 dimensions: images. */
    static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of an IDX file of unsigned bytes with 1 dimension: labels. */
    static final int LABELS_MAGIC = 0x00000801;

    private final int[] dimensions;
    private final byte[] values;
    private final int offset;

    private IdxFile(int[] dimensions, byte[] values, int offset) {
        this.dimensions = dimensions;
        this.values = values;
        this.offset = offset;
    }

    /**
     * Reads and checks an IDX file.
     *
     * @param name the file's name, for error messages
     * @param in the file's bytes, gzipped or not; not closed here
     * @param magic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
     * @return the file
     * @throws IOException if the file cannot be read, or is not the IDX file that was expected
     */
    static IdxFile read(String name, InputStream in, int magic) throws IOException {
        byte[] bytes = readMaybeGzipped(name, in);
        if (bytes.length < 4) {
            throw new IOException(name + ": truncated: " + bytes.length + " bytes, no IDX header.");
        }
        int found = readInt(bytes, 0);
        if (found != magic) {
            throw new IOException(
                    String.format(
                            "%s: wrong magic number 0x%08X, expected 0x%08X (IDX %s); is it the"
                                    + " right file?",
                            name, found, magic, magic == IMAGES_MAGIC ? "images" : "labels"));
        }
        int[] dimensions = new int[magic & 0xFF];
        int header = 4 + 4 * dimensions.length;
        if (bytes.length < header) {
            throw new IOException(name + ": truncated inside its header.");
        }
        long expected = 1;
        for (int i = 0; i < dimensions.length; i++) {
            dimensions[i] = readInt(bytes, 4 + 4 * i);
            expected *= dimensions[i];
        }
        long actual = bytes.length - (long) header;
        if (actual != expected) {
            throw new IOException(
                    String.format(
                            "%s: %s: its header %s promises %d bytes of data but it holds %d.",
                            name,
                            actual < expected ? "truncated" : "too long",
                            Arrays.toString(dimensions),
                            expected,
                            actual));
        }
        return new IdxFile(dimensions, bytes, header);
    }

    /**
     * Returns the size of each dimension, as in {@code [60000, 28, 28]}.
     *
     * @return the dimensions
     */
    int[] dimensions() {
        return dimensions.clone();
    }

    /**
     * Returns the raw values, which start at {@link #offset()}.
     *
     * @return the whole file's bytes
     */
    byte[] bytes() {
        return values;
    }

    /**
     * Returns where the values start in {@link #bytes()}.
     *
     * @return the header's length
     */
    int offset() {
        return offset;
    }

    private static byte[] readMaybeGzipped(String name, InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        in.mark(2);
        boolean gzipped = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        try {
            return (gzipped ? new GZIPInputStream(in, 1 << 16) : in).readAllBytes();
        } catch (IOException e) {
            throw new IOException(name + ": cannot be read (" + e.getMessage() + ").", e);
        }
    }

    private static int readInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24
                | (bytes[at + 1] & 0xFF) << 16
                | (bytes[at + 2] & 0xFF) << 8
                | (bytes[at + 3] & 0xFF);
    }
}
