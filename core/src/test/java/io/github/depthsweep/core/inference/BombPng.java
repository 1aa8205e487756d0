package io.github.depthsweep.core.inference;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes an image bomb: a valid 8-bit grayscale PNG of any size, all black, in a small file. Its
 * compressed data is one deflate block of 1 MiB of zeros, ended by a full flush so that it does not
 * depend on what came before, repeated as often as needed; 30,000 x 30,000 pixels take about 900 KB
 * and a few milliseconds.
 */
public final class BombPng {

    private static final int CHUNK = 1 << 20;

    private BombPng() {}

    /**
     * Writes the PNG.
     *
     * @param file where to write it
     * @param width its width in pixels
     * @param height its height in pixels
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, int width, int height) throws IOException {
        long raw = (long) height * (width + 1); // each row: filter type 0, then the pixels
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(0x78); // zlib header: deflate, 32 KB window
        data.write(0x9C);
        byte[] block = deflate(CHUNK, false);
        for (long i = 0; i < raw / CHUNK; i++) {
            data.write(block);
        }
        data.write(deflate((int) (raw % CHUNK), true));
        // Adler-32 of zeros: a stays 1, b gains 1 a byte.
        long b = raw % 65521;
        new DataOutputStream(data).writeInt((int) (b << 16 | 1));

        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream ihdr = new DataOutputStream(header);
        ihdr.writeInt(width);
        ihdr.writeInt(height);
        ihdr.write(new byte[] {8, 0, 0, 0, 0}); // 8 bits, gray, deflate, no filter, no interlace
        chunk(png, "IHDR", header.toByteArray());
        chunk(png, "IDAT", data.toByteArray());
        chunk(png, "IEND", new byte[0]);
        Files.write(file, png.toByteArray());
    }

    private static byte[] deflate(int zeros, boolean last) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(new byte[zeros]);
            if (last) {
                deflater.finish();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                int n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
                out.write(buffer, 0, n);
                if (last ? deflater.finished() : n < buffer.length) {
                    return out.toByteArray();
                }
            }
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data)
            throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }
}
