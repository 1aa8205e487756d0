package io.github.depthsweep.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfRecordsTest {

    @TempDir Path folder;

    /** Values from TensorBoard's own {@code masked_crc32c} (tensorboard 2.21.0, Python). */
    @Test
    void masksTheCrcAsTensorFlowDoes() {
        assertEquals(2726488792L, unsigned(TfRecords.maskedCrc32c(new byte[0], 0, 0)));
        assertEquals(686059128L, unsigned(crc("a")));
        assertEquals(2080768494L, unsigned(crc("brain.Event:2")));
        byte[] length = {13, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(884487996L, unsigned(TfRecords.maskedCrc32c(length, 0, 8)));
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        Path file = write("brain.Event:2", "", "x".repeat(70_000));
        List<byte[]> records = TfRecords.readAll(file);
        assertEquals(3, records.size());
        assertEquals("brain.Event:2", new String(records.get(0), StandardCharsets.UTF_8));
        assertEquals(0, records.get(1).length);
        assertEquals(70_000, records.get(2).length);
        assertEquals(12 + 13 + 4 + 12 + 4 + 12 + 70_000 + 4, Files.size(file));
    }

    @Test
    void refusesAChangedByteWhereverItIs() throws IOException {
        byte[] good = Files.readAllBytes(write("abc", "defgh"));
        for (int at = 0; at < good.length; at++) {
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            Path file = folder.resolve("bad-" + at);
            Files.write(file, bad);
            assertThrows(IOException.class, () -> TfRecords.readAll(file), "byte " + at);
        }
    }

    @Test
    void refusesARecordCutShort() throws IOException {
        byte[] good = Files.readAllBytes(write("abc", "defgh"));
        for (int length : new int[] {good.length - 1, good.length - 4, 20, 5}) {
            Path file = folder.resolve("short-" + length);
            Files.write(file, Arrays.copyOf(good, length));
            IOException e = assertThrows(IOException.class, () -> TfRecords.readAll(file));
            assertTrue(
                    e instanceof EOFException || e.getMessage().contains("checksum"), e::toString);
        }
    }

    @Test
    void framesTheLengthLittleEndian() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TfRecords.write(out, new byte[300]);
        byte[] bytes = out.toByteArray();
        assertArrayEquals(new byte[] {44, 1, 0, 0, 0, 0, 0, 0}, Arrays.copyOf(bytes, 8));
    }

    private Path write(String... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String record : records) {
            TfRecords.write(out, record.getBytes(StandardCharsets.UTF_8));
        }
        Path file = folder.resolve("records-" + records.length);
        Files.write(file, out.toByteArray());
        return file;
    }

    private static int crc(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return TfRecords.maskedCrc32c(bytes, 0, bytes.length);
    }

    private static long unsigned(int value) {
        return Integer.toUnsignedLong(value);
    }
}
