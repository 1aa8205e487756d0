package io.github.depthsweep.experiments.bench;

import io.github.depthsweep.core.engine.PyTorchEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One peer ({@link Peers}): the same nets in another framework, run as a Python script for a speed
 * to compare with. It inherits this process's environment, so both run on the same allocator and
 * threads, and OpenMP's wait as {@link PyTorchEnvironment} set it: Java's child processes would
 * otherwise get the environment the JVM started with, and a PyTorch peer on libgomp's default spin
 * trains 4-5x slower on a machine where another process holds a core.
 *
 * @param name the peer's name, e.g. {@code keras-xla}
 * @param command its Python and script
 * @param args the arguments after the bench command line, e.g. {@code --jit}
 * @param threads the threads it is told to use
 */
record PeerBench(String name, List<String> command, List<String> args, int threads) {

    private static final Pattern RATE = Pattern.compile("train_images_per_s ([0-9.]+)");

    /**
     * Runs the peer's training benchmark on one model.
     *
     * @param model e.g. {@code residual-50}
     * @param steps its timed steps
     * @return its training images per second
     * @throws IOException if it cannot run or prints no rate
     * @throws InterruptedException if interrupted while waiting for it
     */
    double trainRate(String model, int steps) throws IOException, InterruptedException {
        String[] parts = model.split("-");
        List<String> line = new ArrayList<>(command);
        line.addAll(
                List.of(
                        "bench",
                        parts[1],
                        parts[0],
                        "--batches",
                        Integer.toString(steps),
                        "--threads",
                        Integer.toString(threads)));
        line.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        for (String name : List.of(PyTorchEnvironment.WAIT_POLICY, PyTorchEnvironment.SPIN_COUNT)) {
            String value = PyTorchEnvironment.getenv(name);
            if (value != null) {
                builder.environment().put(name, value);
            }
        }
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(text -> output.append(text).append('\n'));
        }
        process.waitFor();
        Matcher matcher = RATE.matcher(output);
        if (!matcher.find()) {
            throw new IOException(
                    "The peer " + name + " printed no throughput: " + output.toString().trim());
        }
        return Double.parseDouble(matcher.group(1));
    }
}
