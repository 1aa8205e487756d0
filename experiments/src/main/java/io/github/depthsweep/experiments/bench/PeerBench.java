package io.github.depthsweep.experiments.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch peer ({@code experiments/peer/peer_torch.py}): the same nets in plain PyTorch, run by
 * Debian's Python ({@code python3-torch}), for a speed to compare with. It inherits this process's
 * environment, so both run on the same allocator and threads.
 *
 * @param script the peer's script
 * @param threads the threads it is told to use
 */
record PeerBench(Path script, int threads) {

    private static final Pattern RATE = Pattern.compile("train_images_per_s ([0-9.]+)");

    /**
     * Returns the peer that ships inside this jar, copied to a temporary file for Python to run.
     *
     * @return the script
     * @throws IOException if it cannot be copied
     */
    static Path bundled() throws IOException {
        Path script = Files.createTempFile("peer_torch", ".py");
        script.toFile().deleteOnExit();
        try (InputStream in = PeerBench.class.getResourceAsStream("peer_torch.py")) {
            if (in == null) {
                throw new IOException("This build has no peer_torch.py; give --peer FILE.");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

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
        List<String> command =
                List.of(
                        "/usr/bin/python3", // Debian's, where python3-torch installs
                        script.toString(),
                        "bench",
                        parts[1],
                        parts[0],
                        "--batches",
                        Integer.toString(steps),
                        "--threads",
                        Integer.toString(threads));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(line -> output.append(line).append('\n'));
        }
        process.waitFor();
        Matcher matcher = RATE.matcher(output);
        if (!matcher.find()) {
            throw new IOException("The peer printed no throughput: " + output.toString().trim());
        }
        return Double.parseDouble(matcher.group(1));
    }
}
