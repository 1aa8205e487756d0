package io.github.depthsweep.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.dataset.Dataset.Usage;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.engine.PyTorchEnvironment;
import io.github.depthsweep.experiments.report.Median;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.system.Machine;
import io.github.depthsweep.experiments.system.NativeAllocator;
import io.github.depthsweep.experiments.system.ResidentMemory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depthsweep bench}: training and inference throughput of the seed's models on batches of
 * 150 random images, the achieved GFLOP/s, and peak memory; optionally beside peers in Keras and
 * PyTorch ({@link Peers}), with a profile, and with the cost of a checkpoint and of TensorBoard's
 * events.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Prints training and inference images/s, GFLOP/s and peak resident memory"
                        + " per model, on random batches of 150 (no data needed).")
public final class BenchCommand implements Callable<Integer> {

    private static final ObjectWriter JSON_LINE =
            RunFolder.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    @Spec CommandSpec spec;

    @Option(
            names = "--models",
            split = ",",
            defaultValue =
                    "plain-12,plain-20,plain-32,plain-50,residual-12,residual-20,residual-32,residual-50",
            description =
                    "Comma-separated models, e.g. plain-12,residual-50. Default: the seed's 8.")
    List<String> models;

    @Option(
            names = "--steps",
            defaultValue = "20",
            description = "Timed training steps per model. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(
            names = "--warmup",
            defaultValue = "3",
            description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(
            names = "--rounds",
            defaultValue = "1",
            description =
                    "Timed blocks of --steps per model, each followed by each peer's run where"
                            + " --peer is given; reports medians, and the ratio's range. On a"
                            + " shared machine whose speed drifts, 5 gives a steady ratio."
                            + " Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(
            names = "--beside",
            paramLabel = "LOAD",
            description =
                    "Also time every round with a competing load beside the timed steps, and print"
                            + " the loaded rate and its share of the quiet one: busy-thread (one"
                            + " thread that keeps a core busy, as another job on a shared machine)."
                            + " Rounds alternate quiet and loaded.")
    Beside beside;

    /** The competing loads {@code --beside} knows. */
    enum Beside {
        BUSY_THREAD;

        @Override
        public String toString() {
            return "busy-thread";
        }
    }

    @Option(names = "--json", description = "One JSON object per model instead of a table.")
    boolean json;

    @Option(
            names = "--peer",
            arity = "0..1",
            fallbackValue = "",
            paramLabel = "PEERS",
            description =
                    "Also run peers on the same models and threads, and print each one's rate and"
                            + " our ratio to it. Comma-separated: keras and keras-xla (Keras 3 on"
                            + " TensorFlow 2.21, eager and XLA; the keras venv), torch and"
                            + " torch-compile (PyTorch 2.13, eager and torch.compile; the torch"
                            + " venv), torch-debian (/usr/bin/python3 with python3-torch), or a"
                            + " FILE.py run as torch-debian. Make a venv with scripts/venv.sh"
                            + " NAME. Default: torch-debian. The scripts are in this jar, from"
                            + " experiments/peer/.")
    String peer;

    @Option(
            names = "--venvs",
            paramLabel = "DIR",
            description =
                    "Where --peer finds the keras and torch venvs (DIR/NAME/bin/python)."
                            + " Default: $DEPTHSWEEP_VENVS, else ~/.cache/depthsweep/venvs.")
    Path venvs;

    private List<PeerBench> peers = List.of();

    @Option(
            names = "--profile",
            paramLabel = "DIR",
            description =
                    "Also profile 5 training steps per model with PyTorch's profiler: writes"
                            + " DIR/MODEL-trace.json (Perfetto, chrome://tracing) and prints the"
                            + " operators that take the most time.")
    Path profile;

    @Option(
            names = "--checkpoint",
            description =
                    "Also time writing and restoring each model's training checkpoint (in a"
                            + " temporary folder) and give its size.")
    boolean checkpoint;

    @Option(
            names = "--tensorboard",
            description =
                    "Also time writing one epoch of each model's TensorBoard events, as the sweep"
                            + " writes them (in a temporary folder).")
    boolean tensorboard;

    @Option(
            names = "--data-load",
            description = "Also time reading all 70,000 Fashion-MNIST images.")
    boolean dataLoad;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (steps < 1 || warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException(
                    "--steps and --rounds must be at least 1, and --warmup at least 0.");
        }
        Engine.getInstance(); // PyTorch's thread count is known once its library is loaded
        if (peer != null) { // a missing peer stops the run before anything is timed
            Path folder = venvs == null ? Peers.defaultVenvs() : venvs;
            peers = Peers.resolve(peer, folder, JniUtils.getNumThreads());
        }
        if (dataLoad) {
            out.printf("data: read 70,000 Fashion-MNIST images in %.2f s%n", dataLoadSeconds());
        }
        if (profile != null) {
            Files.createDirectories(profile);
        }
        if (!json) {
            out.println(machine());
            out.printf(
                    "%-12s %12s %12s %9s %12s%s%n",
                    "model",
                    "train img/s",
                    "infer img/s",
                    "GFLOP/s",
                    "peak RSS MB",
                    PeerRounds.header(peers, rounds)
                            + (beside == null ? "" : "   loaded img/s  share"));
        }
        for (String name : models) {
            Map<String, Object> row = measure(name.trim());
            if (json) {
                out.println(JSON_LINE.writeValueAsString(row));
            } else {
                printRow(out, row);
            }
            out.flush();
        }
        return 0;
    }

    /** Measures one model: its rates, and the peers', the profile and the checkpoint if asked. */
    private Map<String, Object> measure(String name) throws IOException, InterruptedException {
        try (ModelBench model = ModelBench.open(name)) {
            for (int i = 0; i < warmup; i++) {
                model.trainStep();
            }
            // Rounds alternate with the peers' runs, so all see the same drift in the machine's
            // speed; each round's ratio compares neighbours.
            double[] trainRates = new double[rounds];
            PeerRounds peerRounds = new PeerRounds(peers, name, steps, rounds);
            double[] loadedRates = new double[rounds];
            double[] shares = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                trainRates[round] = model.trainRate(steps);
                peerRounds.run(round, trainRates[round]);
                if (beside != null) {
                    try (BusyThread load = BusyThread.start()) {
                        loadedRates[round] = model.trainRate(steps);
                    }
                    shares[round] = loadedRates[round] / trainRates[round];
                }
            }
            double trainRate = Median.of(trainRates);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", name);
            row.put("params", model.parameters());
            row.put("train_images_per_s", trainRate);
            row.put("infer_images_per_s", model.inferRate(warmup, steps));
            // a training step is about three forward passes; a multiply-add is two FLOPs
            row.put("gflops", trainRate * model.multiplyAdds() * 3 * 2 / 1e9);
            row.put("peak_rss_mb", ResidentMemory.peakMb());
            if (!peers.isEmpty()) {
                peerRounds.putInto(row);
            }
            if (beside != null) {
                row.put("beside", beside.toString());
                row.put("loaded_train_images_per_s", Median.of(loadedRates));
                putOverRounds(row, "loaded_share", shares);
            }
            if (profile != null) {
                row.put("profile", ProfileSummary.of(model, profile));
            }
            if (checkpoint) {
                row.put("checkpoint", CheckpointCost.measure(model, trainRate));
            }
            if (tensorboard) {
                row.put("tensorboard", EventCost.measure(model, trainRate));
            }
            return row;
        }
    }

    /**
     * Puts a per-round figure's median as KEY and, over several rounds, its KEY_min and KEY_max.
     */
    private void putOverRounds(Map<String, Object> row, String key, double[] perRound) {
        row.put(key, Median.of(perRound));
        if (rounds > 1) {
            row.put("rounds", rounds);
            row.put(key + "_min", Arrays.stream(perRound).min().orElseThrow());
            row.put(key + "_max", Arrays.stream(perRound).max().orElseThrow());
        }
    }

    private void printRow(PrintWriter out, Map<String, Object> row) {
        out.printf(
                "%-12s %12.1f %12.1f %9.1f %12.0f%s%s%n",
                row.get("name"),
                row.get("train_images_per_s"),
                row.get("infer_images_per_s"),
                row.get("gflops"),
                row.get("peak_rss_mb"),
                peers.isEmpty() ? "" : PeerRounds.columns(peers, rounds, row),
                beside == null ? "" : besideColumns(row));
        if (row.get("profile") instanceof ProfileSummary summary) {
            summary.print(out);
        }
        if (row.get("checkpoint") instanceof CheckpointCost cost) {
            cost.print(out);
        }
        if (row.get("tensorboard") instanceof EventCost cost) {
            cost.print(out);
        }
    }

    private String besideColumns(Map<String, Object> row) {
        String range =
                rounds == 1
                        ? ""
                        : String.format(
                                " (%.0f-%.0f%% over %d rounds)",
                                100 * (double) row.get("loaded_share_min"),
                                100 * (double) row.get("loaded_share_max"),
                                rounds);
        return String.format(
                "   %12.1f  %4.0f%%%s",
                row.get("loaded_train_images_per_s"),
                100 * (double) row.get("loaded_share"),
                range);
    }

    /** The machine, engine and allocator the figures belong to. */
    private static String machine() {
        Machine machine = Machine.current();
        return String.format(
                "machine: %s, %d cores | %s, %d threads | %s | %s | JVM heap max %d MB",
                machine.cpu(),
                machine.cores(),
                machine.engine(),
                machine.threads(),
                PyTorchEnvironment.waitPolicy(),
                NativeAllocator.current().describe(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static double dataLoadSeconds() throws IOException {
        Engine.getInstance(); // load the native engine first: reading is what is timed
        long start = System.nanoTime();
        for (Usage usage : new Usage[] {Usage.TRAIN, Usage.TEST}) {
            try (IdxDataset data =
                    IdxDataset.builder().optUsage(usage).setSampling(150, false).build()) {
                data.prepare();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
