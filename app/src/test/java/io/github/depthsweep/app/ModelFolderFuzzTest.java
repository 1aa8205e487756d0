package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model folders made by hand from the zoo's plain-12 and residual-12, as a new user might: JSON
 * fields mutated (numbers huge, negative, NaN; strings long; arrays long) and parameters files
 * truncated, bit-flipped or swapped between the two nets. {@code predict} (and, for some, {@code
 * evaluate}) runs on each in its own JVM, as a user runs the app, and must end with exit code 2 and
 * one line on stderr, within 5 s and under 1 GB of peak resident memory, with no model left for
 * DJL's finalizer to report.
 */
class ModelFolderFuzzTest {

    private static final long SEED = 43;
    private static final double MAX_SECONDS = 5;
    private static final long MAX_PEAK_KB = 1L << 20;

    /** A line of PyTorch's C++ logging, which is not the app's; see {@link FuzzTest}. */
    private static final Pattern NATIVE_WARNING =
            Pattern.compile("^\\[[WI]\\d{4} [\\d:.]+ \\w+\\.cpp:\\d+\\] ");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private final Random random = new Random(SEED);
    private final List<Case> cases = new ArrayList<>();

    @Test
    void everyDamagedFolderEndsInOneLineExit2QuicklyAndSmall() throws Exception {
        jsonCases();
        paramsCases();
        Path image = PredictCommandTest.SAMPLES.resolve("0-t-shirt-top.png").toAbsolutePath();
        List<String> failures = new ArrayList<>();
        double slowest = 0;
        long largest = 0;
        long start = System.nanoTime();
        // Two JVMs at a time: one after another, they took 49 s of each CI run; two at a time, 39
        // (docs/results/ci-time.md).
        ExecutorService jvms = Executors.newFixedThreadPool(2);
        List<Future<Run>> runs = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            List<String> args = new ArrayList<>(List.of(c.command(), "--model", c.folder()));
            if (c.command().equals("predict")) {
                args.add(image.toString());
            }
            Path files = dir.resolve("run-" + i);
            runs.add(jvms.submit(() -> Run.of(files, args)));
        }
        jvms.shutdown();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Run run = runs.get(i).get();
            slowest = Math.max(slowest, run.seconds());
            largest = Math.max(largest, run.peakKb());
            System.out.printf(
                    "%-45s %5.2f s %,9d KB  %s%n",
                    c.name(),
                    run.seconds(),
                    run.peakKb(),
                    Run.cut(run.err().strip()).replace(dir.toString(), "DIR"));
            String problem = run.problem();
            if (problem != null) {
                failures.add(c.name() + ": " + problem);
            }
        }
        System.out.printf(
                "model folder fuzz: %d cases in %.0f s, slowest %.2f s, largest peak %,d KB%n",
                cases.size(), (System.nanoTime() - start) / 1e9, slowest, largest);
        assertTrue(cases.size() >= 60, "cases: " + cases.size());
        assertEquals(List.of(), failures);
    }

    /** Mutations of plain-12's depthsweep-model.json, one field each. */
    private void jsonCases() throws IOException {
        String longText = "x".repeat(200_000) + "\n" + "y".repeat(100);
        // Numbers each field refuses: out of its range, beyond its type, not a number.
        String[][] numbers = {
            {"depth", "2000000000", "2147483648", "1203", "-12", "0", "1e30", "NaN"},
            {"format", "2147483648", "2", "-1", "0", "NaN"},
            {"epochs", "2147483648", "-1", "1e30", "NaN"},
            {"seed", "18446744073709551616", "-1", "1e30", "NaN"},
            {"testAccuracy", "1e999", "1.5", "-0.5", "-1e308", "NaN"},
        };
        for (String[] field : numbers) {
            for (String number : Arrays.copyOfRange(field, 1, field.length)) {
                json(
                        field[0] + "=" + number,
                        info -> info.putRawValue(field[0], new RawValue(number)));
            }
        }
        json("testAccuracy=89", info -> info.put("testAccuracy", 89));
        json(
                "depth=2000000000 with its stage plan",
                info -> {
                    info.put("depth", 2_000_000_000);
                    info.put("stagePlan", "500000000+500000000+500000000+500000000");
                });
        json(
                "depth=100000 with its stage plan",
                info -> {
                    info.put("depth", 100_000);
                    info.put("stagePlan", "25000+25000+25000+25000");
                });
        json(
                "depth=20 and name",
                info -> {
                    info.put("depth", 20);
                    info.put("name", "plain-20");
                });
        json("architecture=residual", info -> info.put("architecture", "residual"));
        json("architecture=resnetv1", info -> info.put("architecture", "resnetv1"));
        json("name=../../etc/passwd", info -> info.put("name", "../../etc/passwd"));
        for (String field :
                new String[] {
                    "name",
                    "architecture",
                    "stagePlan",
                    "dataset",
                    "batchNormStatistics",
                    "parametersCrc32c"
                }) {
            json(field + " long", info -> info.put(field, longText));
        }
        json("inputShape=[1,100000,100000]", info -> shape(info, 1, 100_000, 100_000));
        json("inputShape=[3,28,28]", info -> shape(info, 3, 28, 28));
        json("inputShape=[1,-28,28]", info -> shape(info, 1, -28, 28));
        json("inputShape=[1,28]", info -> shape(info, 1, 28));
        json("inputShape long", info -> shape(info, longArray()));
        json(
                "classes long",
                info -> {
                    ArrayNode classes = info.putArray("classes");
                    for (int i = 0; i < 50_000; i++) { // within the 1 MB an info may have
                        classes.add("class " + i);
                    }
                });
        json("classes 11", info -> ((ArrayNode) info.get("classes")).add("Hat"));
        json("class name long", info -> ((ArrayNode) info.get("classes")).set(3, longText));
        json("class name two lines", info -> ((ArrayNode) info.get("classes")).set(3, "a\nb"));
        json(
                "inputShape=[NaN]",
                info -> info.putRawValue("inputShape", new RawValue("[NaN, 28, 28]")));
        text("not JSON", "{ \"name\": \"plain-12\", ");
        text("JSON array", "[1, 2, 3]");
        text("empty", "");
        text("nested 100000 deep", "[".repeat(100_000) + "]".repeat(100_000));
        text(
                "unknown field nested 100000 deep",
                "{\"extra\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        text("2 MB", "{\"name\": \"" + "x".repeat(2 << 20) + "\"}");
        byte[] binary = new byte[4096];
        random.nextBytes(binary);
        Path folder = copy("plain-12", "info random bytes");
        Files.write(folder.resolve(SavedModel.INFO_FILE), binary);
        cases.add(new Case("info random bytes", "predict", folder.toString()));
    }

    /** plain-12's parameters file damaged or swapped with residual-12's. */
    private void paramsCases() throws IOException {
        byte[] plain = TrainedModel.zooFile("plain-12/plain-12-0000.params");
        byte[] residual = TrainedModel.zooFile("residual-12/residual-12-0000.params");
        for (int length : new int[] {0, 3, 30, 300, 3000, plain.length / 2, plain.length - 1}) {
            params("truncated to " + length, Arrays.copyOf(plain, length));
        }
        for (int i = 0; i < 6; i++) {
            byte[] copy = plain.clone();
            for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
            }
            params("bit-flipped " + i, copy);
        }
        for (int i = 0; i < 4; i++) {
            byte[] copy = plain.clone();
            copy[random.nextInt(2000)] ^= (byte) (1 << random.nextInt(8)); // the headers
            params("header bit-flipped " + i, copy);
        }
        byte[] noise = new byte[plain.length];
        random.nextBytes(noise);
        params("random bytes", noise);
        params("residual-12's", residual);
        params("40 MB of zeros", new byte[40 << 20]);
        // Past every check to the engine, which refuses it: a parameter's name damaged in a
        // folder from before checksums were recorded. The model it was loading into is closed.
        Path renamed = copy("plain-12", "parameter name damaged");
        edit(renamed, info -> info.remove("parametersCrc32c"));
        byte[] damaged = plain.clone();
        int gamma = new String(damaged, StandardCharsets.ISO_8859_1).indexOf("gamma");
        damaged[gamma + 4] = 'b';
        Files.write(renamed.resolve("plain-12-0000.params"), damaged);
        cases.add(new Case("params: a parameter's name damaged", "predict", renamed.toString()));
        Path other = copy("residual-12", "plain-12's under residual-12");
        Files.write(other.resolve("residual-12-0000.params"), plain);
        cases.add(new Case("plain-12's under residual-12", "predict", other.toString()));
        // Through evaluate too: its checks come before the test set is read.
        Path evaluate = copy("plain-12", "evaluate residual-12's");
        Files.write(evaluate.resolve("plain-12-0000.params"), residual);
        cases.add(new Case("evaluate: residual-12's", "evaluate", evaluate.toString()));
        Path deep = copy("plain-12", "evaluate depth");
        edit(deep, info -> info.put("depth", 2_000_000_000));
        cases.add(new Case("evaluate: depth=2000000000", "evaluate", deep.toString()));
    }

    private void json(String name, Consumer<ObjectNode> mutation) throws IOException {
        Path folder = copy("plain-12", name);
        edit(folder, mutation);
        cases.add(new Case("info " + name, "predict", folder.toString()));
    }

    private void text(String name, String content) throws IOException {
        Path folder = copy("plain-12", name);
        Files.writeString(folder.resolve(SavedModel.INFO_FILE), content);
        cases.add(new Case("info " + name, "predict", folder.toString()));
    }

    private void params(String name, byte[] content) throws IOException {
        Path folder = copy("plain-12", name);
        Files.write(folder.resolve("plain-12-0000.params"), content);
        cases.add(new Case("params " + name, "predict", folder.toString()));
    }

    private static void edit(Path folder, Consumer<ObjectNode> mutation) throws IOException {
        Path file = folder.resolve(SavedModel.INFO_FILE);
        ObjectNode info = (ObjectNode) JSON.readTree(file.toFile());
        mutation.accept(info);
        Files.writeString(file, JSON.writeValueAsString(info));
    }

    private static void shape(ObjectNode info, long... axes) {
        ArrayNode shape = info.putArray("inputShape");
        for (long axis : axes) {
            shape.add(axis);
        }
    }

    private static long[] longArray() {
        long[] axes = new long[200_000];
        Arrays.fill(axes, 28);
        return axes;
    }

    /** A copy of one of the zoo's model folders, read from core's jar. */
    private Path copy(String model, String name) throws IOException {
        return TrainedModel.copyFromZoo(model, dir.resolve("case-" + cases.size()));
    }

    /**
     * One fuzz case.
     *
     * @param name what was done to the folder
     * @param command {@code predict} or {@code evaluate}
     * @param folder the model folder
     */
    private record Case(String name, String command, String folder) {}

    /**
     * One run of the app in a JVM of its own ({@link Child}).
     *
     * @param code the exit code, -1 if it was killed
     * @param out stdout
     * @param err stderr
     * @param seconds how long the JVM ran
     * @param peakKb its peak resident memory; 0 if it did not say, -1 where it cannot (no /proc)
     */
    private record Run(int code, String out, String err, double seconds, long peakKb) {

        static Run of(Path dir, List<String> args) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            Path out = dir.resolve("out.txt");
            Path err = dir.resolve("err.txt");
            Path peak = dir.resolve("peak.txt");
            Files.deleteIfExists(peak);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Dai.djl.offline=true");
            command.add("-Dai.djl.default_engine=PyTorch");
            command.add("-Dfuzz.peak=" + peak);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Child.class.getName());
            command.addAll(args);
            long start = System.nanoTime();
            Process process =
                    new ProcessBuilder(command)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile())
                            .start();
            boolean finished = process.waitFor(3 * (long) MAX_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long peakKb = Files.exists(peak) ? Long.parseLong(Files.readString(peak).trim()) : 0;
            return new Run(
                    finished ? process.exitValue() : -1,
                    Files.readString(out),
                    Files.readString(err),
                    seconds,
                    peakKb);
        }

        /** What is wrong with the run, or null. */
        String problem() {
            List<String> lines =
                    err.lines().filter(line -> !NATIVE_WARNING.matcher(line).find()).toList();
            if (code != ExitCode.BAD_INPUT) {
                return "exit code " + code + ", stderr " + cut(err);
            }
            if (lines.size() != 1 || !lines.get(0).startsWith("error: ")) {
                return lines.size() + " lines on stderr: " + cut(err);
            }
            if (lines.get(0).length() > 500) {
                return "a line of " + lines.get(0).length() + " characters: " + cut(err);
            }
            if (!out.isEmpty()) {
                return "stdout: " + cut(out);
            }
            if (seconds > MAX_SECONDS) {
                return String.format("%.1f s: %s", seconds, lines.get(0));
            }
            if (peakKb == 0 || peakKb > MAX_PEAK_KB) { // -1 where there is no /proc
                return "peak " + peakKb + " KB: " + lines.get(0);
            }
            return null;
        }

        static String cut(String text) {
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    /**
     * The app's main in a fresh JVM, as {@link AppCommand#main} runs it, then DJL's finalizers (so
     * that a model dropped open logs its warning on stderr, where the test sees it) and the JVM's
     * peak resident memory, from /proc, into the file {@code -Dfuzz.peak} names.
     */
    public static final class Child {

        private Child() {}

        /**
         * Runs the app.
         *
         * @param args its arguments
         * @throws Exception if the peak cannot be written
         */
        public static void main(String[] args) throws Exception {
            System.setProperty("java.awt.headless", "true");
            int code = AppCommand.commandLine().execute(args);
            System.gc();
            System.runFinalization();
            Path status = Path.of("/proc/self/status"); // Linux; elsewhere -1, not measured
            String peak =
                    !Files.exists(status)
                            ? "-1"
                            : Files.readAllLines(status, StandardCharsets.US_ASCII).stream()
                                    .filter(line -> line.startsWith("VmHWM:"))
                                    .map(line -> line.replaceAll("\\D", ""))
                                    .findFirst()
                                    .orElse("0");
            Files.writeString(Path.of(System.getProperty("fuzz.peak")), peak);
            System.exit(code);
        }
    }
}
