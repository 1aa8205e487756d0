package io.github.depthsweep.experiments;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset.Usage;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.depthsweep.core.data.FashionMnistDataset;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.nn.MultiplyAdds;
import io.github.depthsweep.core.nn.SeedNet;
import io.github.depthsweep.core.training.SeedProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depthsweep bench}: training and inference throughput of the seed's models on batches of
 * 150 random images, the achieved GFLOP/s, and peak memory; optionally beside the PyTorch peer.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Prints training and inference images/s, GFLOP/s and peak resident memory"
                        + " per model, on random batches of 150 (no data needed).")
final class BenchCommand implements Callable<Integer> {

    private static final Pattern PEER_RATE = Pattern.compile("train_images_per_s ([0-9.]+)");
    private static final int PROFILED_STEPS = 5;
    private static final int PROFILED_OPS = 12;

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
                    "Timed blocks of --steps per model, each followed by the peer's run where"
                            + " --peer is given; reports medians, and the ratio's range. On a"
                            + " shared machine whose speed drifts, 5 gives a steady ratio."
                            + " Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--json", description = "One JSON object per model instead of a table.")
    boolean json;

    @Option(
            names = "--peer",
            paramLabel = "PEER_TORCH_PY",
            description =
                    "Also run this PyTorch peer (shared/bench/peer_torch.py) on the same models"
                            + " and threads, with /usr/bin/python3, and print the ratio.")
    Path peer;

    @Option(
            names = "--profile",
            paramLabel = "DIR",
            description =
                    "Also profile 5 training steps per model with PyTorch's profiler: writes"
                            + " DIR/MODEL-trace.json (Perfetto, chrome://tracing) and prints the"
                            + " operators that take the most time.")
    Path profile;

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
        if (peer != null && !Files.isRegularFile(peer)) {
            throw new IOException("--peer " + peer + " does not exist.");
        }
        if (dataLoad) {
            out.printf("data: read 70,000 Fashion-MNIST images in %.2f s%n", dataLoadSeconds());
        }
        Engine.getInstance(); // PyTorch's thread count is known once its library is loaded
        int threads = JniUtils.getNumThreads();
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
                    peer == null ? "" : "   peer img/s  ratio");
        }
        for (String name : models) {
            Map<String, Object> row = measure(name.trim(), threads);
            if (json) {
                out.println(
                        RunFolder.JSON
                                .writer()
                                .without(
                                        com.fasterxml.jackson.databind.SerializationFeature
                                                .INDENT_OUTPUT)
                                .writeValueAsString(row));
            } else {
                out.printf(
                        "%-12s %12.1f %12.1f %9.1f %12.0f%s%n",
                        name,
                        row.get("train_images_per_s"),
                        row.get("infer_images_per_s"),
                        row.get("gflops"),
                        row.get("peak_rss_mb"),
                        peer == null
                                ? ""
                                : String.format(
                                        "   %10.1f  %5.2fx%s",
                                        row.get("peer_train_images_per_s"),
                                        row.get("ratio"),
                                        rounds == 1
                                                ? ""
                                                : String.format(
                                                        " (%.2f-%.2f over %d rounds)",
                                                        row.get("ratio_min"),
                                                        row.get("ratio_max"),
                                                        rounds)));
                if (row.get("profile") instanceof ProfileSummary summary) {
                    summary.print(out);
                }
            }
            out.flush();
        }
        return 0;
    }

    /**
     * Trains and infers on random batches; returns the figures for one model, with the peer's and
     * the profile where asked.
     */
    private Map<String, Object> measure(String name, int threads)
            throws IOException, InterruptedException {
        int dash = name.lastIndexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException(
                    "Models are named like plain-12 or residual-50, got '" + name + "'.");
        }
        Architecture architecture = Architecture.parse(name.substring(0, dash));
        int depth = Integer.parseInt(name.substring(dash + 1));
        int batch = SeedProtocol.BATCH_SIZE;
        Engine.getInstance().setRandomSeed(0);
        try (Model model = Model.newInstance(name, Device.cpu())) {
            Block network = architecture.build(depth, 10);
            model.setBlock(network);
            try (Trainer trainer = model.newTrainer(SeedProtocol.trainingConfig())) {
                trainer.initialize(SeedNet.INPUT_SHAPE);
                long multiplyAdds = MultiplyAdds.perImage(network);
                long parameters = SeedNet.countParameters(network);
                for (int i = 0; i < warmup; i++) {
                    trainStep(trainer);
                }
                // Rounds alternate with the peer's runs, so both see the same drift in the
                // machine's speed; each round's ratio compares neighbours.
                double[] trainRates = new double[rounds];
                double[] peerRates = new double[rounds];
                double[] ratios = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    double trainSeconds = 0;
                    for (int i = 0; i < steps; i++) {
                        trainSeconds += trainStep(trainer);
                    }
                    trainRates[round] = steps * batch / trainSeconds;
                    if (peer != null) {
                        peerRates[round] = peerRate(name, threads);
                        ratios[round] = trainRates[round] / peerRates[round];
                    }
                }
                double inferSeconds = 0;
                for (int i = 0; i < warmup + steps; i++) {
                    try (NDManager step = trainer.getManager().newSubManager()) {
                        NDArray images = step.randomUniform(0, 1, new Shape(batch, 1, 28, 28));
                        long start = System.nanoTime();
                        trainer.evaluate(new NDList(images)).head().toFloatArray();
                        if (i >= warmup) {
                            inferSeconds += (System.nanoTime() - start) / 1e9;
                        }
                    }
                }
                double trainRate = median(trainRates);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", name);
                row.put("params", parameters);
                row.put("train_images_per_s", trainRate);
                row.put("infer_images_per_s", steps * batch / inferSeconds);
                // a training step is about three forward passes; a multiply-add is two FLOPs
                row.put("gflops", trainRate * multiplyAdds * 3 * 2 / 1e9);
                row.put("peak_rss_mb", ResidentMemory.peakMb());
                if (peer != null) {
                    row.put("peer_train_images_per_s", median(peerRates));
                    row.put("ratio", median(ratios));
                    if (rounds > 1) {
                        row.put("rounds", rounds);
                        row.put("ratio_min", Arrays.stream(ratios).min().orElseThrow());
                        row.put("ratio_max", Arrays.stream(ratios).max().orElseThrow());
                    }
                }
                if (profile != null) {
                    row.put("profile", profile(name, trainer));
                }
                return row;
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** One training step on a random batch; returns its seconds, batch creation excluded. */
    private static double trainStep(Trainer trainer) {
        int batch = SeedProtocol.BATCH_SIZE;
        try (NDManager step = trainer.getManager().newSubManager()) {
            NDArray images = step.randomUniform(0, 1, new Shape(batch, 1, 28, 28));
            NDArray labels =
                    step.randomInteger(0, 10, new Shape(batch), DataType.INT64)
                            .toType(DataType.FLOAT32, false);
            long start = System.nanoTime();
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList scores = trainer.forward(new NDList(images));
                collector.backward(trainer.getLoss().evaluate(new NDList(labels), scores));
            }
            trainer.step();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /**
     * Profiles a few training steps; returns the operators that take the most time, per step, for
     * the table or the JSON line.
     */
    private ProfileSummary profile(String name, Trainer trainer) throws IOException {
        Path trace = profile.resolve(name + "-trace.json");
        OpProfile ops =
                OpProfile.record(
                        trace,
                        () -> {
                            for (int i = 0; i < PROFILED_STEPS; i++) {
                                trainStep(trainer);
                            }
                        });
        List<TopOp> top = new ArrayList<>();
        for (OpProfile.Op op : ops.ops().subList(0, Math.min(PROFILED_OPS, ops.ops().size()))) {
            top.add(
                    new TopOp(
                            op.name(),
                            op.selfMs() / ops.totalMs(),
                            op.selfMs() / PROFILED_STEPS,
                            op.calls() / PROFILED_STEPS));
        }
        return new ProfileSummary(trace.toString(), ops.totalMs() / PROFILED_STEPS, top);
    }

    /** A profile as {@code bench} reports it: per training step, the top operators only. */
    private record ProfileSummary(
            String trace,
            @JsonProperty("ms_per_step") double msPerStep,
            @JsonProperty("top_ops") List<TopOp> topOps) {

        void print(PrintWriter out) {
            out.printf(
                    "  profile: %.0f ms per step under the profiler (it slows the step); trace %s%n",
                    msPerStep, trace);
            for (TopOp op : topOps) {
                out.printf(
                        "    %-40s %5.1f%%  %7.1f ms per step  %4d calls per step%n",
                        op.op(), 100 * op.share(), op.msPerStep(), op.callsPerStep());
            }
        }
    }

    /** One operator of a {@link ProfileSummary}; share is of the profiled time. */
    private record TopOp(
            String op,
            double share,
            @JsonProperty("ms_per_step") double msPerStep,
            @JsonProperty("calls_per_step") int callsPerStep) {}

    /** The machine, engine and allocator the figures belong to. */
    private static String machine() {
        Machine machine = Machine.current();
        return String.format(
                "machine: %s, %d cores | %s, %d threads | %s | JVM heap max %d MB",
                machine.cpu(),
                machine.cores(),
                machine.engine(),
                machine.threads(),
                NativeAllocator.current().describe(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private double peerRate(String name, int threads) throws IOException, InterruptedException {
        String[] parts = name.split("-");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "/usr/bin/python3",
                                peer.toString(),
                                "bench",
                                parts[1],
                                parts[0],
                                "--batches",
                                Integer.toString(steps),
                                "--threads",
                                Integer.toString(threads)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(line -> output.append(line).append('\n'));
        }
        process.waitFor();
        Matcher matcher = PEER_RATE.matcher(output);
        if (!matcher.find()) {
            throw new IOException("The peer printed no throughput: " + output.toString().trim());
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static double dataLoadSeconds() throws IOException {
        Engine.getInstance(); // load the native engine first: reading is what is timed
        long start = System.nanoTime();
        for (Usage usage : new Usage[] {Usage.TRAIN, Usage.TEST}) {
            try (FashionMnistDataset data =
                    FashionMnistDataset.builder().optUsage(usage).setSampling(150, false).build()) {
                data.prepare();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
