package io.github.depthsweep.experiments.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers {@code bench --peer} knows: each a name, the Python that runs it, its script (inside
 * this jar, from {@code experiments/peer/}) and the arguments that pick its mode.
 *
 * <ul>
 *   <li>{@code keras}, {@code keras-xla}: {@code peer_keras.py} (Keras 3 on TensorFlow 2.21, the
 *       seed's own framework; {@code --jit} compiles the step with XLA) in the {@code keras} venv
 *   <li>{@code torch}, {@code torch-compile}: {@code peer_torch.py} (PyTorch 2.13, eager or {@code
 *       --compile}) in the {@code torch} venv
 *   <li>{@code torch-debian}: {@code peer_torch.py} with Debian's {@code /usr/bin/python3} and its
 *       {@code python3-torch} 1.13, the default of a bare {@code --peer}
 *   <li>{@code FILE}: any other script, run as {@code torch-debian} is
 * </ul>
 *
 * <p>The venvs are those {@code scripts/venv.sh NAME} makes, in {@code $DEPTHSWEEP_VENVS} or else
 * {@code ~/.cache/depthsweep/venvs}.
 */
final class Peers {

    /** What a bare {@code --peer} runs. */
    static final String DEFAULT = "torch-debian";

    /** The environment variable that names the venvs' folder, as for {@code scripts/venv.sh}. */
    static final String VENVS_VARIABLE = "DEPTHSWEEP_VENVS";

    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    /**
     * One known peer.
     *
     * @param venv the venv whose Python runs it, or null for Debian's {@code /usr/bin/python3}
     * @param script its script's resource name, beside this class
     * @param args the arguments after the bench command line, e.g. {@code --jit}
     */
    private record Definition(String venv, String script, List<String> args) {}

    private static final Map<String, Definition> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("keras", new Definition("keras", "peer_keras.py", List.of()));
        KNOWN.put("keras-xla", new Definition("keras", "peer_keras.py", List.of("--jit")));
        KNOWN.put("torch", new Definition("torch", "peer_torch.py", List.of()));
        KNOWN.put("torch-compile", new Definition("torch", "peer_torch.py", List.of("--compile")));
        KNOWN.put(DEFAULT, new Definition(null, "peer_torch.py", List.of()));
    }

    private Peers() {}

    /**
     * Returns the folder that holds the venvs: {@code $DEPTHSWEEP_VENVS}, else {@code
     * ~/.cache/depthsweep/venvs}.
     *
     * @return the folder
     */
    static Path defaultVenvs() {
        String variable = System.getenv(VENVS_VARIABLE);
        return variable != null && !variable.isEmpty()
                ? Path.of(variable)
                : Path.of(System.getProperty("user.home"), ".cache", "depthsweep", "venvs");
    }

    /**
     * Resolves {@code --peer}'s value to runnable peers, checking that each one's Python exists, so
     * that a missing one stops the run before anything is timed.
     *
     * @param spec comma-separated peer names or script files; empty for {@link #DEFAULT}
     * @param venvs the folder that holds the venvs
     * @param threads the threads each peer is told to use
     * @return the peers, in the order given
     * @throws IOException if a peer's venv or Python is missing (one line that says how to make it)
     *     or its script cannot be copied out of this jar
     * @throws IllegalArgumentException for a name that is neither a peer nor a file
     */
    static List<PeerBench> resolve(String spec, Path venvs, int threads) throws IOException {
        List<PeerBench> peers = new ArrayList<>();
        for (String item : (spec.isBlank() ? DEFAULT : spec).split(",")) {
            String name = item.trim();
            Definition known = KNOWN.get(name);
            List<String> command = new ArrayList<>();
            if (known != null) {
                command.add(python(name, known.venv(), venvs).toString());
                command.add(bundled(known.script()).toString());
                peers.add(new PeerBench(name, command, known.args(), threads));
            } else {
                Path script = Path.of(name);
                if (!Files.isRegularFile(script)) {
                    throw new IllegalArgumentException(
                            "--peer "
                                    + name
                                    + " is neither a peer ("
                                    + String.join(", ", KNOWN.keySet())
                                    + ") nor a file.");
                }
                command.add(python(name, null, venvs).toString());
                command.add(script.toString());
                peers.add(
                        new PeerBench(
                                script.getFileName().toString(), command, List.of(), threads));
            }
        }
        if (peers.stream().map(PeerBench::name).distinct().count() < peers.size()) {
            throw new IllegalArgumentException("--peer " + spec + " names a peer twice.");
        }
        return peers;
    }

    /** The Python that runs a peer: its venv's, or Debian's; an exception if it is missing. */
    private static Path python(String peer, String venv, Path venvs) throws IOException {
        if (venv == null) {
            if (!Files.isExecutable(DEBIAN_PYTHON)) {
                throw new IOException(
                        "--peer "
                                + peer
                                + " runs "
                                + DEBIAN_PYTHON
                                + ", which is missing; make it with: sudo apt-get install"
                                + " python3-torch");
            }
            return DEBIAN_PYTHON;
        }
        Path python = venvs.resolve(venv).resolve("bin").resolve("python");
        if (!Files.isExecutable(python)) {
            String make =
                    venvs.equals(defaultVenvs())
                            ? "scripts/venv.sh " + venv
                            : VENVS_VARIABLE + "=" + venvs + " scripts/venv.sh " + venv;
            throw new IOException(
                    "--peer "
                            + peer
                            + " needs the "
                            + venv
                            + " venv, but "
                            + python
                            + " is missing; make it with: "
                            + make);
        }
        return python;
    }

    /** Copies a script that ships inside this jar to a temporary file for Python to run. */
    private static Path bundled(String resource) throws IOException {
        Path script = Files.createTempFile(resource.replace(".py", ""), ".py");
        script.toFile().deleteOnExit();
        try (InputStream in = Peers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("This build has no " + resource + "; give --peer FILE.");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }
}
