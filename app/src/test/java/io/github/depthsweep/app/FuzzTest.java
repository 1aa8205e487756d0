package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.inference.BombPng;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few hundred hostile files with image extensions: random bytes, real PNGs, JPEGs and GIFs
 * truncated and bit-flipped, huge declared sizes, zero sizes. {@code predict} runs on all of them
 * in its own JVM with a 256 MB heap and must give every file one row, a prediction or an error
 * (each error one line on stderr), with no stack trace, no crash and no hang.
 */
class FuzzTest {

    private static final long SEED = 14;

    /** A line of PyTorch's C++ logging: {@code [W1130 19:45:19.079896863 NNPACK.cpp:57] ...}. */
    private static final java.util.regex.Pattern NATIVE_WARNING =
            java.util.regex.Pattern.compile("^\\[[WI]\\d{4} [\\d:.]+ \\w+\\.cpp:\\d+\\] ");

    private static final String[] EXTENSIONS = {"png", "jpg", "jpeg", "gif"};

    @TempDir Path dir;

    @Test
    void everyHostileFileGetsOneRowAndErrorsAreOneLineEach() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("fuzz"));
        List<Path> files = new Fuzz(folder, new Random(SEED)).write();
        assertTrue(files.size() >= 300, "files: " + files.size());

        long start = System.nanoTime();
        Process process =
                new ProcessBuilder(
                                javaCommand(
                                        "predict",
                                        "--jsonl",
                                        "-m",
                                        TrainedModel.folder().toString(),
                                        folder.toString()))
                        .redirectOutput(dir.resolve("out.jsonl").toFile())
                        .redirectError(dir.resolve("err.txt").toFile())
                        .start();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String err = Files.readString(dir.resolve("err.txt"));
        List<JsonNode> rows =
                HostileInputsTest.jsonLines(Files.readString(dir.resolve("out.jsonl")));
        long predicted = rows.stream().filter(row -> row.has("predictions")).count();
        System.out.printf(
                "fuzz: %d files, %d classified, %d refused, %.1f s in a JVM with a 256 MB heap%n",
                files.size(), predicted, rows.size() - predicted, seconds);

        assertTrue(finished, "no hang: finished within 180 s");
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), err);
        assertEquals(ExitCode.BAD_INPUT, process.exitValue(), err);
        assertEquals(files.size(), rows.size(), "one row per file");
        Set<String> seen = new HashSet<>();
        for (JsonNode row : rows) {
            assertTrue(seen.add(row.get("file").asText()), "once each: " + row);
            assertTrue(
                    row.has("error")
                            ^ (row.has("predictions") && row.get("predictions").size() == 3),
                    row.toString());
        }
        // PyTorch's own C++ warnings go straight to the process's stderr, past Java; on some CPUs
        // it warns once per convolution call that NNPACK cannot start ("[W1130 19:45:19.07 ...
        // NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware."). Not ours.
        List<String> errors =
                err.lines().filter(line -> !NATIVE_WARNING.matcher(line).find()).toList();
        assertEquals(
                rows.size() - predicted + 1, errors.size(), "one line per failed file, +1: " + err);
        for (String line : errors) {
            assertTrue(line.startsWith("error: "), line);
        }
        assertEquals(
                "error: "
                        + (rows.size() - predicted)
                        + " of "
                        + files.size()
                        + " inputs could not be classified.",
                errors.get(errors.size() - 1));
        assertTrue(predicted >= 20, "the intact images are classified: " + predicted);
    }

    /** The command line that runs the app's main class in a fresh JVM, heap capped at 256 MB. */
    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.default_engine=PyTorch");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AppCommand.class.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** Writes the hostile files. */
    private static final class Fuzz {

        private final Path folder;
        private final Random random;
        private final List<Path> files = new ArrayList<>();
        private final List<byte[]> pngs = new ArrayList<>();
        private final List<byte[]> jpegs = new ArrayList<>();
        private final List<byte[]> gifs = new ArrayList<>();

        Fuzz(Path folder, Random random) {
            this.folder = folder;
            this.random = random;
        }

        List<Path> write() throws IOException {
            seeds();
            for (int i = 0; i < pngs.size(); i++) {
                save("intact", "png", pngs.get(i));
                save("intact", "jpg", jpegs.get(i));
                save("intact", "gif", gifs.get(i));
            }
            for (int i = 0; i < 40; i++) {
                byte[] noise = new byte[random.nextInt(3000)];
                random.nextBytes(noise);
                save("random", any(), noise);
            }
            byte[][] magics = {
                {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
                {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
                "GIF89a".getBytes(StandardCharsets.US_ASCII)
            };
            for (int i = 0; i < 30; i++) {
                byte[] magic = magics[i % 3];
                byte[] bytes = new byte[magic.length + random.nextInt(2000)];
                random.nextBytes(bytes);
                System.arraycopy(magic, 0, bytes, 0, magic.length);
                save("magic-then-random", any(), bytes);
            }
            for (int i = 0; i < 60; i++) {
                byte[] real = real(i);
                save("truncated", any(), Arrays.copyOf(real, random.nextInt(real.length)));
            }
            for (int i = 0; i < 60; i++) {
                byte[] copy = real(i).clone();
                for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                    copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                }
                save("bit-flipped", any(), copy);
            }
            for (int i = 0; i < 30; i++) {
                byte[] copy = real(i).clone();
                int header = Math.min(copy.length, 64); // where the sizes are
                copy[random.nextInt(header)] = (byte) random.nextInt(256);
                save("header-flipped", any(), copy);
            }
            sizes();
            return files;
        }

        /** Real images to damage: the samples as PNG, colour JPEG (some progressive) and GIF. */
        private void seeds() throws IOException {
            List<Path> samples;
            try (var list = Files.list(PredictCommandTest.SAMPLES)) {
                samples = list.sorted().toList();
            }
            for (Path sample : samples) {
                BufferedImage gray = ImageIO.read(sample.toFile());
                BufferedImage colour = new BufferedImage(56, 42, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 42; y++) {
                    for (int x = 0; x < 56; x++) {
                        int level = gray.getRaster().getSample(x / 2, y * 2 / 3, 0);
                        colour.setRGB(x, y, level << 16 | level << 8 | (255 - level));
                    }
                }
                pngs.add(Files.readAllBytes(sample));
                jpegs.add(jpeg(colour, pngs.size() % 2 == 0));
                gifs.add(encode(colour, "gif"));
            }
        }

        /** Huge and zero sizes written into the headers of real files. */
        private void sizes() throws IOException {
            int[][] huge = {
                {30_000, 30_000},
                {65_535, 65_535},
                {65_535, 1},
                {1, 65_535},
                {70_000, 10},
                {Integer.MAX_VALUE, 1},
                {Integer.MAX_VALUE, Integer.MAX_VALUE},
                {7_000, 7_000},
                {-1, 28},
                {0, 0},
                {0, 28},
                {28, 0}
            };
            for (int[] size : huge) {
                String name = size[0] + "x" + size[1];
                save("png-" + name, "png", pngSize(pngs.get(0), size[0], size[1]));
                int w = Math.max(0, Math.min(65_535, size[0]));
                int h = Math.max(0, Math.min(65_535, size[1]));
                save("jpeg-" + name, "jpg", jpegSize(jpegs.get(0), w, h));
                save("progressive-jpeg-" + name, "jpg", jpegSize(jpegs.get(1), w, h));
                save("gif-" + name, "gif", gifSize(gifs.get(0), w, h));
            }
            // Real bombs: valid data, all of it. Over the limit, and just under it.
            Path over = folder.resolve("bomb-10000x10000.png");
            BombPng.write(over, 10_000, 10_000);
            files.add(over);
            Path under = folder.resolve("bomb-7000x7000.png");
            BombPng.write(under, 7_000, 7_000);
            files.add(under);
        }

        private byte[] real(int i) {
            List<byte[]> kind = i % 3 == 0 ? pngs : i % 3 == 1 ? jpegs : gifs;
            return kind.get(random.nextInt(kind.size()));
        }

        private String any() {
            return EXTENSIONS[random.nextInt(EXTENSIONS.length)];
        }

        private void save(String kind, String extension, byte[] bytes) throws IOException {
            Path file = folder.resolve(String.format("%03d-%s.%s", files.size(), kind, extension));
            Files.write(file, bytes);
            files.add(file);
        }

        private static byte[] encode(BufferedImage image, String format) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(ImageIO.write(image, format, out), format);
            return out.toByteArray();
        }

        private static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
            ImageWriter writer = writers.next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                ImageWriteParam param = writer.getDefaultWriteParam();
                if (progressive) {
                    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
                }
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        }

        /** A PNG with other sizes in its IHDR (its CRC left as it was). */
        private static byte[] pngSize(byte[] png, int width, int height) {
            byte[] copy = png.clone();
            putInt(copy, 16, width);
            putInt(copy, 20, height);
            return copy;
        }

        /** A JPEG with other sizes in its frame header (SOF0 or SOF2). */
        private static byte[] jpegSize(byte[] jpeg, int width, int height) {
            byte[] copy = jpeg.clone();
            for (int i = 2; i + 8 < copy.length; i++) {
                int marker = copy[i + 1] & 0xFF;
                if ((copy[i] & 0xFF) == 0xFF && (marker == 0xC0 || marker == 0xC2)) {
                    copy[i + 5] = (byte) (height >> 8);
                    copy[i + 6] = (byte) height;
                    copy[i + 7] = (byte) (width >> 8);
                    copy[i + 8] = (byte) width;
                    return copy;
                }
            }
            throw new IllegalStateException("no frame header");
        }

        /** A GIF with other sizes in its screen and its first image descriptor. */
        private static byte[] gifSize(byte[] gif, int width, int height) {
            byte[] copy = gif.clone();
            putShortLe(copy, 6, width);
            putShortLe(copy, 8, height);
            int flags = copy[10] & 0xFF;
            int at = 13 + ((flags & 0x80) == 0 ? 0 : 3 << ((flags & 7) + 1)); // global palette
            while (at < copy.length && copy[at] == 0x21) { // extensions: label, sub-blocks
                at += 2;
                while (at < copy.length && copy[at] != 0) {
                    at += (copy[at] & 0xFF) + 1;
                }
                at++;
            }
            if (at + 8 >= copy.length || copy[at] != 0x2C) {
                throw new IllegalStateException("no image descriptor");
            }
            putShortLe(copy, at + 5, width);
            putShortLe(copy, at + 7, height);
            return copy;
        }

        private static void putInt(byte[] bytes, int at, int value) {
            bytes[at] = (byte) (value >> 24);
            bytes[at + 1] = (byte) (value >> 16);
            bytes[at + 2] = (byte) (value >> 8);
            bytes[at + 3] = (byte) value;
        }

        private static void putShortLe(byte[] bytes, int at, int value) {
            bytes[at] = (byte) value;
            bytes[at + 1] = (byte) (value >> 8);
        }
    }
}
