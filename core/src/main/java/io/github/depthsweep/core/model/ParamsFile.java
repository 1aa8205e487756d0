package io.github.depthsweep.core.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * What a DJL parameters file ({@code NAME-0000.params}, as DJL's {@code Model.save} writes it)
 * holds, read from its headers without loading an array, so that it can be checked before a net is
 * built for it.
 *
 * <p>DJL 0.36's format: {@code DJL@}, a version (1), the name the model was saved under, its data
 * type, its inputs' names and shapes and its properties; then each block's parameters, depth first,
 * each array an {@code NDSerializer} record ({@code NDAR}, version 3, an optional name, the sparse
 * format, the data type, the shape, the byte order, the byte count, the bytes) between the blocks'
 * own short headers. The arrays are found by their {@code NDAR} mark in those gaps and their bytes
 * are skipped, so reading takes time in the number of arrays, not in the file's size.
 *
 * @param file the file
 * @param savedName the name the model was saved under
 * @param arrays the number of arrays
 * @param values the number of values in all of them
 */
record ParamsFile(Path file, String savedName, int arrays, long values) {

    /** The most bytes between two arrays: blocks' headers and a parameter's name. */
    static final int MAX_GAP = 64 * 1024;

    private static final byte[] MARK = {0, 4, 'N', 'D', 'A', 'R'};
    private static final int ARRAY_VERSION = 3;
    private static final int MAX_RANK = 8;
    private static final int MAX_ENTRIES = 1024;

    /**
     * Reads a parameters file's headers.
     *
     * @param file the file
     * @return what it holds
     * @throws IOException if it is not a DJL parameters file, is damaged or ends early; the message
     *     says which and where
     */
    static ParamsFile read(Path file) throws IOException {
        long size = Files.size(file);
        // Counted above the buffer, so that the count is the position; skips seek the file.
        try (Counting counted =
                        new Counting(new BufferedInputStream(new FileInputStream(file.toFile())));
                DataInputStream in = new DataInputStream(counted)) {
            Reader reader = new Reader(file, size, counted, in);
            try {
                return reader.read();
            } catch (EOFException e) {
                throw new InvalidModelException(
                        file
                                + " is truncated: it ends at byte "
                                + size
                                + ", inside "
                                + reader.where()
                                + ": copy the model folder again.",
                        e);
            }
        }
    }

    /**
     * Returns a file's CRC-32C, as {@link ModelInfo#parametersCrc32c} records it.
     *
     * @param file the file
     * @return 8 lower-case hex digits
     * @throws IOException if it cannot be read
     */
    static String crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        return String.format("%08x", crc.getValue());
    }

    /** Reads one file, keeping track of where it is for messages. */
    private static final class Reader {

        private final Path file;
        private final long size;
        private final Counting counted;
        private final DataInputStream in;
        private final byte[] recent = new byte[MARK.length];
        private int arrays;
        private long values;

        Reader(Path file, long size, Counting counted, DataInputStream in) {
            this.file = file;
            this.size = size;
            this.counted = counted;
            this.in = in;
        }

        ParamsFile read() throws IOException {
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!"DJL@".equals(new String(magic, StandardCharsets.ISO_8859_1))) {
                throw corrupt("it does not start with DJL@, as DJL's parameters files do");
            }
            int version = in.readInt();
            if (version != 1) {
                throw corrupt("its DJL format version is " + version + ", not 1");
            }
            String savedName = in.readUTF();
            in.readUTF(); // the data type
            int inputs = count("inputs");
            for (int i = 0; i < inputs; i++) {
                in.readUTF();
                shape();
            }
            int properties = count("properties");
            for (int i = 0; i < properties; i++) {
                in.readUTF();
                in.readUTF();
            }
            while (nextArray()) {
                array();
            }
            return new ParamsFile(file, savedName, arrays, values);
        }

        /** Reads up to the next array's mark; false at the end of the file. */
        private boolean nextArray() throws IOException {
            long start = position();
            int seen = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                System.arraycopy(recent, 1, recent, 0, recent.length - 1);
                recent[recent.length - 1] = (byte) b;
                seen++;
                if (seen >= MARK.length && Arrays.equals(recent, MARK)) {
                    return true;
                }
                if (seen > MAX_GAP) {
                    throw corrupt(
                            "no parameter array follows byte "
                                    + start
                                    + " within "
                                    + MAX_GAP
                                    + " bytes, after array "
                                    + arrays);
                }
            }
        }

        private void array() throws IOException {
            long start = position() - MARK.length;
            int version = in.readInt();
            if (version != ARRAY_VERSION) {
                throw corrupt(
                        "array "
                                + (arrays + 1)
                                + " at byte "
                                + start
                                + " has version "
                                + version
                                + ", not "
                                + ARRAY_VERSION);
            }
            int named = in.readUnsignedByte();
            if (named > 1) {
                throw corrupt("array " + (arrays + 1) + " at byte " + start + " is malformed");
            }
            if (named == 1) {
                in.readUTF();
            }
            String sparse = in.readUTF();
            String type = in.readUTF();
            if (!"DENSE".equals(sparse) || !"FLOAT32".equals(type)) {
                throw corrupt(
                        "array "
                                + (arrays + 1)
                                + " at byte "
                                + start
                                + " is "
                                + ModelInfoCheck.shown(sparse)
                                + " "
                                + ModelInfoCheck.shown(type)
                                + ", not DENSE FLOAT32");
            }
            long count = shape();
            int order = in.readUnsignedByte();
            int length = in.readInt();
            if ((order != '<' && order != '>') || length != count * 4) {
                throw corrupt(
                        "array "
                                + (arrays + 1)
                                + " at byte "
                                + start
                                + " declares "
                                + length
                                + " bytes for "
                                + count
                                + " values");
            }
            long end = position() + length;
            if (end > size) {
                throw new InvalidModelException(
                        file
                                + " is truncated: array "
                                + (arrays + 1)
                                + " runs to byte "
                                + end
                                + ", but the file ends at byte "
                                + size
                                + ": copy the model folder again.");
            }
            in.skipNBytes(length);
            arrays++;
            values += count;
        }

        /** Reads a shape; returns its number of values. */
        private long shape() throws IOException {
            int rank = in.readInt();
            if (rank < 0 || rank > MAX_RANK) {
                throw corrupt("a shape at byte " + position() + " has " + rank + " axes");
            }
            long count = 1;
            for (int i = 0; i < rank; i++) {
                long axis = in.readLong();
                if (axis < 0 || axis > Integer.MAX_VALUE) {
                    throw corrupt("a shape at byte " + position() + " has an axis of " + axis);
                }
                count *= axis; // both at most 2^31 - 1: no overflow
                if (count > Integer.MAX_VALUE) {
                    throw corrupt("a shape at byte " + position() + " has an axis of " + axis);
                }
            }
            int layout = in.readInt();
            if (layout < 0 || layout > MAX_RANK) {
                throw corrupt("a shape at byte " + position() + " has a layout of " + layout);
            }
            in.skipNBytes(2L * layout);
            return count;
        }

        private int count(String what) throws IOException {
            int count = in.readInt();
            if (count < 0 || count > MAX_ENTRIES) {
                throw corrupt("its header lists " + count + " " + what);
            }
            return count;
        }

        /** Where reading is, for the message of a file that ends too early. */
        String where() {
            return arrays == 0 && values == 0
                    ? "its header or first array"
                    : "array " + (arrays + 1);
        }

        private long position() {
            return counted.count;
        }

        private IOException corrupt(String what) {
            return new InvalidModelException(
                    file
                            + " is not a sound DJL parameters file: "
                            + what
                            + ": copy the model folder again.");
        }
    }

    /** Counts the bytes read or skipped from a stream. */
    private static final class Counting extends FilterInputStream {

        private long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
