package io.github.depthsweep.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A model folder is checked without an engine, before a net is built: its info field by field, its
 * parameters file by size, headers, name, parameter count and checksum. The folders are the zoo's
 * plain-12 and residual-12, edited or damaged as a user might; each fault is one short line that
 * names it.
 */
class ModelFolderChecksTest {

    private static final String ZOO = "/io/github/depthsweep/core/zoo/stagenet/";

    @TempDir Path dir;

    @Test
    void theZoosFoldersPass() throws IOException {
        for (String name : new String[] {"plain-12", "residual-12"}) {
            ModelInfo info = SavedModel.checkLoadable(zoo(name));
            assertEquals(name, info.name());
            ParamsFile file = ParamsFile.read(SavedModel.paramsFile(zoo(name), info));
            assertEquals(name, file.savedName());
            assertEquals(
                    Architecture.parse(info.architecture()).parameterCount(12, 10), file.values());
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "depth         | 2000000000 | Depth 2000000000 is too large",
                "depth         | 100000     | Depth 100000 is too large",
                "depth         | -12        | Depth -12 is too small",
                "depth         | 1e30       | is not valid JSON",
                "depth         | 20         | it names the model 'plain-12', but plain at depth 20 is plain-20",
                "stagePlan     | '4+3+3+2'  | its stagePlan is '4+3+3+2', but plain-12's is 3+3+3+3",
                "name          | '../../x'  | it names the model '../../x', but plain at depth 12 is plain-12",
                "architecture  | 'vit'      | Unknown variant 'vit'",
                "architecture  | 'resnetv1' | resnetv1 cannot be built with depth 12",
                "dataset       | 'cifar10'  | Unknown dataset 'cifar10'",
                "inputShape    | [1, 100000, 100000] | inputShape is [1, 100000, 100000], but fashion-mnist's images are [1, 28, 28]",
                "inputShape    | [3, 28, 28] | inputShape is [3, 28, 28]",
                "testAccuracy  | NaN        | testAccuracy is NaN",
                "testAccuracy  | 89         | testAccuracy is 89.0",
                "epochs        | -1         | epochs and seed must be 0 or more",
                "seed          | -5         | epochs and seed must be 0 or more",
                "format        | 0          | it has format 0",
                "format        | 2          | has format 2",
                "batchNormStatistics | 'precise' | batchNormStatistics is 'precise'",
                "parametersCrc32c | 'xyz'   | parametersCrc32c is 'xyz'",
            })
    void aFieldOutOfItsRulesIsRefusedInOneLine(String field, String value, String expected)
            throws IOException {
        Path folder = copy("plain-12");
        JsonObject json = info(folder);
        if (value.equals("NaN")) {
            json.add(field, new JsonPrimitive(Double.NaN));
        } else if (value.matches("[-\\d\\[].*")) {
            json.add(field, JsonParser.parseString(value));
        } else {
            json.addProperty(field, value); // JUnit's CSV has taken the quotes off
        }
        write(folder, json);
        assertRefused(folder, expected);
    }

    @Test
    void longStringsAndArraysAreQuotedShort() throws IOException {
        String huge = "x".repeat(100_000) + "\n" + "y".repeat(1000);
        JsonArray longShape = new JsonArray();
        JsonArray manyClasses = new JsonArray();
        for (int i = 0; i < 100_000; i++) {
            longShape.add(28);
            manyClasses.add("c" + i);
        }
        String[][] edits = {
            {"name", "it names the model 'xxx"},
            {"architecture", "Unknown variant 'xxx"},
            {"stagePlan", "its stagePlan is 'xxx"},
            {"dataset", "Unknown dataset 'xxx"},
            {"batchNormStatistics", "batchNormStatistics is 'xxx"},
        };
        for (String[] edit : edits) {
            Path folder = copy("plain-12");
            JsonObject json = info(folder);
            json.addProperty(edit[0], huge);
            write(folder, json);
            assertRefused(folder, edit[1]);
        }
        Path shape = copy("plain-12");
        JsonObject json = info(shape);
        json.add("inputShape", longShape);
        write(shape, json);
        assertRefused(shape, "inputShape is [28, 28, 28, ...] (100000 numbers)");

        Path classes = copy("plain-12");
        json = info(classes);
        json.add("classes", manyClasses);
        write(classes, json);
        assertRefused(classes, "it lists 100000 classes, but fashion-mnist has 10");

        Path label = copy("plain-12");
        json = info(label);
        json.getAsJsonArray("classes").set(3, new JsonPrimitive(huge));
        write(label, json);
        assertRefused(label, "class 3's name 'xxx");

        Path big = copy("plain-12");
        Files.writeString(
                big.resolve(SavedModel.INFO_FILE), "{\"name\": \"" + "x".repeat(2 << 20) + "\"}");
        assertRefused(big, "a model's info is a few hundred");
    }

    @Test
    void anotherNetsParametersAreNamed() throws IOException {
        Path folder = copy("plain-12");
        Files.copy(
                zoo("residual-12").resolve("residual-12-0000.params"),
                folder.resolve("plain-12-0000.params"),
                StandardCopyOption.REPLACE_EXISTING);
        assertRefused(
                folder, "plain-12-0000.params holds residual-12's parameters, not plain-12's");

        // Saved under plain-12's name but residual-12's net: its count gives it away.
        byte[] bytes = Files.readAllBytes(folder.resolve("plain-12-0000.params"));
        byte[] from = "\u0000\u000bresidual-12".getBytes(StandardCharsets.ISO_8859_1);
        byte[] to = "\u0000\u000bplain-12xxx".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(8, indexOf(bytes, from), "the name follows DJL@ and the version");
        System.arraycopy(to, 0, bytes, 8, to.length);
        bytes[9] = 8; // the name's length: "plain-12"
        byte[] renamed = new byte[bytes.length - 3];
        System.arraycopy(bytes, 0, renamed, 0, 18);
        System.arraycopy(bytes, 21, renamed, 18, bytes.length - 21);
        Files.write(folder.resolve("plain-12-0000.params"), renamed);
        assertRefused(
                folder,
                "holds 921,706 parameter values (residual-12's count), but plain-12 has 878,250");
    }

    @Test
    void truncatedDamagedAndForeignFilesAreRefused() throws IOException {
        Path params = copy("plain-12").resolve("plain-12-0000.params");
        byte[] bytes = Files.readAllBytes(params);
        for (int length : new int[] {0, 3, 20, 200, 1_000_000, bytes.length - 1}) {
            Files.write(params, Arrays.copyOf(bytes, length));
            assertRefused(params.getParent(), "is truncated");
        }
        byte[] flipped = bytes.clone();
        flipped[2_000_000] ^= 0x40; // inside an array: only the checksum can tell
        Files.write(params, flipped);
        assertRefused(params.getParent(), "is damaged: its CRC-32C is ");

        byte[] header = bytes.clone();
        header[1] ^= 1;
        Files.write(params, header);
        assertRefused(params.getParent(), "is not a sound DJL parameters file: it does not start");

        Files.write(params, new byte[50_000_000]);
        assertRefused(params.getParent(), "far more than plain-12's 878,250 parameter values");

        // Without a recorded checksum, a damaged array header is still caught by the structure.
        Path old = copy("plain-12");
        JsonObject json = info(old);
        json.remove("parametersCrc32c");
        write(old, json);
        byte[] shape = bytes.clone();
        int array = indexOf(shape, "NDAR".getBytes(StandardCharsets.US_ASCII));
        shape[array + 4 + 4 + 1 + 7 + 9 + 4 + 7] ^= 1; // the first axis of the first array
        Files.write(old.resolve("plain-12-0000.params"), shape);
        assertRefused(old, "is not a sound DJL parameters file: a shape at byte ");
    }

    private static void assertRefused(Path folder, String expected) {
        IOException e =
                assertThrows(InvalidModelException.class, () -> SavedModel.checkLoadable(folder));
        String message = e.getMessage();
        assertTrue(message.contains(expected), message);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.length() < 400 + folder.toString().length(), message);
    }

    private Path zoo(String name) {
        try {
            return Path.of(ModelFolderChecksTest.class.getResource(ZOO + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path copy(String name) throws IOException {
        Path folder = Files.createTempDirectory(dir, name);
        try (var files = Files.list(zoo(name))) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        return folder;
    }

    private static JsonObject info(Path folder) throws IOException {
        JsonElement json =
                JsonParser.parseString(Files.readString(folder.resolve(SavedModel.INFO_FILE)));
        return json.getAsJsonObject();
    }

    private static void write(Path folder, JsonObject json) throws IOException {
        // Gson's writer refuses NaN unless lenient; the file is what a hand edit would give.
        Files.writeString(
                folder.resolve(SavedModel.INFO_FILE), json.toString().replace("\"NaN\"", "NaN"));
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
