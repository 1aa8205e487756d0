package io.github.depthsweep.tensorboard;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard's event files: each record is its length (8 bytes,
 * little-endian), a masked CRC-32C of those 8 bytes, the data, and a masked CRC-32C of the data.
 * TensorBoard's strict reader refuses a record whose checksum is wrong, and its lenient one stops
 * reading there, so every byte counts.
 */
public final class TfRecords {

    /** TensorFlow's mask, so that a CRC of data that itself holds CRCs is not degenerate. */
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {}

    /**
     * Frames one record.
     *
     * @param out where the record goes
     * @param data the record's bytes
     * @throws IOException if the stream cannot be written
     */
    public static void write(OutputStream out, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(maskedCrc32c(header.array(), 0, 8));
        out.write(header.array());
        out.write(data);
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        footer.putInt(maskedCrc32c(data, 0, data.length));
        out.write(footer.array());
    }

    /**
     * Reads every record of a file, checking both checksums of each.
     *
     * @param file the file
     * @return the records' data, in order
     * @throws IOException if the file cannot be read, or a record is cut short or fails its
     *     checksum (the message says which record)
     */
    public static List<byte[]> readAll(Path file) throws IOException {
        List<byte[]> records = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] record;
            while ((record = read(in, records.size())) != null) {
                records.add(record);
            }
        }
        return records;
    }

    /**
     * Reads the next record.
     *
     * @param in the stream, at a record's start
     * @param index the record's number, for messages
     * @return its data, or null at the end of the stream
     */
    private static byte[] read(InputStream in, int index) throws IOException {
        byte[] header = in.readNBytes(12);
        if (header.length == 0) {
            return null;
        }
        ByteBuffer head = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (header.length < 12) {
            throw new EOFException("record " + index + " is cut short in its header");
        }
        long length = head.getLong(0);
        if (head.getInt(8) != maskedCrc32c(header, 0, 8)) {
            throw new IOException("record " + index + ": its length fails its checksum");
        }
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IOException("record " + index + " claims " + length + " bytes");
        }
        byte[] data = in.readNBytes((int) length);
        byte[] footer = in.readNBytes(4);
        if (data.length < length || footer.length < 4) {
            throw new EOFException("record " + index + " is cut short");
        }
        int crc = ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (crc != maskedCrc32c(data, 0, data.length)) {
            throw new IOException("record " + index + ": its data fail their checksum");
        }
        return data;
    }

    /**
     * Returns TensorFlow's masked CRC-32C of some bytes.
     *
     * @param bytes the bytes
     * @param offset where they start
     * @param length how many
     * @return the masked checksum
     */
    static int maskedCrc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int value = (int) crc.getValue();
        return ((value >>> 15) | (value << 17)) + MASK_DELTA;
    }
}
