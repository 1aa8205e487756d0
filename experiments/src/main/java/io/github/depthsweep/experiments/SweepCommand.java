package io.github.depthsweep.experiments;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.listener.TrainingListener;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.cli.CommandLines;
import io.github.depthsweep.cli.DataOptions;
import io.github.depthsweep.cli.ExitCode;
import io.github.depthsweep.core.data.DatasetInfo;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.data.DownloadUnavailableException;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.engine.PyTorchEnvironment;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.nn.StagePlan;
import io.github.depthsweep.experiments.bench.BenchCommand;
import io.github.depthsweep.experiments.run.Cell;
import io.github.depthsweep.experiments.run.CellCheckpoints;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.sweep.Preset;
import io.github.depthsweep.experiments.sweep.StopSignal;
import io.github.depthsweep.experiments.sweep.Sweep;
import io.github.depthsweep.experiments.sweep.SweepPlan;
import io.github.depthsweep.experiments.sweep.SweepProgress;
import io.github.depthsweep.experiments.sweep.TimeLeft;
import io.github.depthsweep.experiments.system.Machine;
import io.github.depthsweep.experiments.system.NativeAllocator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code depthsweep}: trains the seed's plain and residual nets at several depths on Fashion-MNIST
 * and writes results, tables, plots and models. Rerun with the same {@code --out} to resume.
 */
@Command(
        name = "depthsweep",
        mixinStandardHelpOptions = true,
        versionProvider = CommandLines.Version.class,
        sortOptions = false,
        subcommands = {
            MergeCommand.class,
            BenchCommand.class,
            MakespanCommand.class,
            TensorBoardCommand.class,
            KerasReportCommand.class
        },
        description = {
            "Trains plain and residual CNNs of several depths on Fashion-MNIST (the seed's depth"
                    + " sweep; --dataset for another) and writes per-cell JSON, results.md,"
                    + " results.csv, plots and saved models under --out. Rerun the same command to resume: finished cells are"
                    + " skipped, an unfinished one continues from its checkpoint.",
            "Exit codes: 0 done; 1 a bug; 2 bad arguments or input (do not retry); 74 the"
                    + " environment failed, e.g. a full disk (a retry may succeed and resumes); 75"
                    + " stopped by a signal with a checkpoint (a retry resumes)."
        })
public final class SweepCommand implements Callable<Integer> {

    @Option(
            names = "--preset",
            defaultValue = "paper",
            converter = PresetConverter.class,
            description =
                    "paper (the seed's protocol), he2016 (paper's cells with He et al.'s SGD),"
                            + " he2016-warmup (the same after He et al.'s warm-up), quick (all 8 cells in ~30 min on 2 CPU cores) or smoke (a minute"
                            + " or two). Default: ${DEFAULT-VALUE}.")
    Preset preset;

    @Option(
            names = "--variants",
            split = ",",
            defaultValue = "plain,residual",
            description = "Comma-separated: plain, residual, resnetv1. Default: ${DEFAULT-VALUE}.")
    List<String> variants;

    @Option(
            names = "--depths",
            split = ",",
            description =
                    "Comma-separated depths (2x2 convolutions), "
                            + StagePlan.MIN_DEPTH
                            + " to "
                            + StagePlan.MAX_DEPTH
                            + "; resnetv1 takes 6n+2 below 164. Default: the preset's.")
    List<Integer> depths;

    @Option(
            names = "--seeds",
            defaultValue = "1",
            description = "Seeds per cell: 3 runs seeds 0, 1, 2. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Mixin ProtocolOptions settings;

    @Option(
            names = "--out",
            description =
                    "Run folder: new, empty, or an earlier run's to resume it. Default:"
                            + " runs/<preset>, so that rerunning the same command resumes.")
    Path out;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description =
                    "auto (a GPU when the engine sees one), cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String device;

    @Mixin DataOptions data;

    @Option(names = "--dry-run", description = "Print the plan and train nothing.")
    boolean dryRun;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "STEPS",
            defaultValue = "0",
            description =
                    "Also save an unfinished cell's state every this many steps (it is always"
                            + " saved after every epoch and on Ctrl-C or SIGTERM); 0: epochs only."
                            + " Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(
            names = "--threads",
            description =
                    "PyTorch's threads for this worker, e.g. 1 to run two workers on 2 cores."
                            + " Default: one per core.")
    Integer threads;

    @Option(
            names = "--claim-timeout",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description =
                    "Workers sharing a run folder claim cells; a claim without a heartbeat for"
                            + " this long is taken over and its cell resumed from its checkpoint."
                            + " Default: ${DEFAULT-VALUE}.")
    int claimTimeout;

    @Option(
            names = "--shard",
            paramLabel = "K/N",
            description = "Run only cells K, K+N, K+2N, ... (K from 0): one task of a job array.")
    String shard;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description =
                    "Also show DJL's own log lines on the console; a sweep always keeps them in"
                            + " its sweep.log.")
    boolean verbose;

    @Spec CommandSpec spec;

    /** The console and sweep.log; set by {@link #commandLine()}'s execution strategy. */
    private RunLog runLog;

    /** More listeners for every cell's training: see {@link #commandLine(TrainingListener...)}. */
    private final List<TrainingListener> listeners;

    private SweepCommand(List<TrainingListener> listeners) {
        this.listeners = listeners;
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // Now, while System.err is the console: picocli would otherwise open it at the first
        // error, after RunLog has captured it for DJL's lines, and the one-line error went there.
        CommandLine commandLine = commandLine().setErr(new PrintWriter(System.err, true));
        System.exit(commandLine.execute(args));
    }

    /**
     * Returns the command line, set up as both of depthsweep's are ({@link CommandLines}): errors
     * in one line, exit codes as {@link ExitCode} says.
     *
     * @return the command line
     */
    static CommandLine commandLine() {
        return commandLine(new TrainingListener[0]);
    }

    /**
     * Returns the command line with more DJL listeners on every cell's training, to run a sweep in
     * this process as a user would and watch or interrupt it at a chosen step (as Keras's tests of
     * {@code BackupAndRestore} do with a callback).
     *
     * @param listeners the listeners; each cell's trainer tells them of every step and epoch
     * @return the command line
     */
    static CommandLine commandLine(TrainingListener... listeners) {
        SweepCommand command = new SweepCommand(List.of(listeners));
        return CommandLines.configure(
                new CommandLine(command).setExecutionStrategy(SweepCommand::execute), e -> false);
    }

    @Override
    public Integer call() throws IOException, TranslateException {
        PrintWriter log = runLog.tee(spec.commandLine().getOut());
        // Everything a real run would refuse is refused here, before anything is created, and by
        // --dry-run too.
        DatasetInfo dataset = data.dataset(Datasets::byName, Datasets.DEFAULT);
        Protocol protocol = protocol(dataset);
        int[] shardSpec = shard();
        List<Integer> sweptDepths = depths == null ? preset.depths : depths;
        requireNoRepeats("--depths", sweptDepths);
        requireNoRepeats("--variants", variants.stream().map(String::trim).toList());
        List<Architecture> architectures = variants.stream().map(Architecture::parse).toList();
        SweepPlan plan =
                SweepPlan.of(
                        architectures, sweptDepths, seeds, shardSpec[0], shardSpec[1], protocol);
        Path root = out != null ? out : defaultRunFolder(preset);
        RunFolder.checkUsable(root);
        useThreads();
        Device target = device();
        try (IdxDataset train =
                        dataset(
                                dataset,
                                Usage.TRAIN,
                                protocol.trainLimit(),
                                protocol.batchSize(),
                                true);
                IdxDataset test = dataset(dataset, Usage.TEST, protocol.testLimit(), 500, false)) {
            prepare(train, test); // bad data fails here, before the run folder is touched
            if (dryRun) {
                printPlan(plan, protocol, target, resumable(root, protocol), log);
                return ExitCode.OK;
            }
            RunFolder folder = RunFolder.create(root, log);
            folder.claim(protocol);
            runLog.open(folder.root().resolve("sweep.log"));
            log.printf(
                    "depthsweep %s: %d cells on %s, data from %s, writing to %s%s%n",
                    Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    plan.cells().size(),
                    target,
                    train.getSource(),
                    root,
                    out == null ? " (--preset " + preset.label() + "'s folder)" : "");
            log.printf("settings: %s%n", protocol.describe());
            log.printf(
                    "machine: %s | %s%n",
                    Machine.current().describe(), PyTorchEnvironment.waitPolicy());
            if (NativeAllocator.current() == NativeAllocator.SYSTEM) {
                log.println(NativeAllocator.current().describe()); // how to get tcmalloc
            }
            try (StopSignal stop = StopSignal.install(log)) {
                return new Sweep(
                                plan,
                                protocol,
                                target,
                                train,
                                test,
                                folder,
                                checkpointEvery,
                                Duration.ofSeconds(claimTimeout),
                                stop,
                                listeners,
                                log,
                                rerunCommand())
                        .run();
            }
        }
    }

    /**
     * Returns where a sweep writes without {@code --out}: one folder per preset, so that rerunning
     * the same command resumes instead of starting over.
     *
     * @param preset the preset
     * @return {@code runs/PRESET}
     */
    static Path defaultRunFolder(Preset preset) {
        return Path.of("runs", preset.label());
    }

    /**
     * Reads both datasets through once: a missing or damaged file is bad input; a download the
     * machine cannot make is the environment's failure.
     */
    private static void prepare(IdxDataset train, IdxDataset test) throws IOException {
        try {
            train.prepare();
            test.prepare();
        } catch (DownloadUnavailableException e) {
            throw e;
        } catch (IOException e) {
            throw new BadInputException(CommandLines.oneLine(e), e);
        }
    }

    /**
     * Returns the command that resumes this sweep, as the user ran it: the jar, or Maven's {@code
     * exec:java} where the classes came from a build folder.
     */
    private String rerunCommand() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        Path code;
        try {
            code =
                    Path.of(
                            SweepCommand.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return "the same command";
        }
        if (code.toString().endsWith(".jar")) {
            Path here = Path.of("").toAbsolutePath();
            Path jar = code.startsWith(here) ? here.relativize(code) : code;
            List<String> words = new ArrayList<>(List.of("java", "-jar", jar.toString()));
            words.addAll(args);
            return words.stream().map(SweepCommand::shellWord).collect(Collectors.joining(" "));
        }
        String command = "mvn -pl experiments exec:java";
        if (args.isEmpty()) {
            return command;
        }
        return command + " -Dexec.args=" + shellWord(String.join(" ", args));
    }

    /**
     * A word as a POSIX shell reads it back: quoted where it holds anything but safe characters.
     */
    private static String shellWord(String word) {
        if (word.matches("[A-Za-z0-9_./,:=@%+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * Runs the command with DJL's log lines captured (see {@link RunLog}); a failure's one line
     * goes to {@code sweep.log} too, where the run folder is known.
     */
    private static int execute(ParseResult parseResult) {
        boolean verbose = parseResult.expandedArgs().contains("--verbose");
        try (RunLog log = RunLog.install(verbose)) {
            // before PyTorch's natives load, which read it once; after RunLog, which takes DJL's
            // lines about loading them to sweep.log
            PyTorchEnvironment.apply();
            if (parseResult.commandSpec().userObject() instanceof SweepCommand sweep) {
                sweep.runLog = log;
            }
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (CommandLine.ExecutionException e) {
                CommandLine failed = e.getCommandLine();
                failed.setErr(log.tee(failed.getErr()));
                return CommandLines.report(e.getCause(), failed, cause -> false);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The run's settings: the preset's, with the options given; bad values are refused. */
    private Protocol protocol(DatasetInfo dataset) {
        Protocol protocol = settings.protocol(preset, dataset);
        require(seeds > 0, "--seeds must be at least 1, got " + seeds);
        require(claimTimeout >= 1, "--claim-timeout must be at least 1 s, got " + claimTimeout);
        require(
                checkpointEvery >= 0,
                "--checkpoint-every must be 0 (epochs only) or more, got " + checkpointEvery);
        return protocol;
    }

    /** Sets PyTorch's threads: before the engine loads where possible, else on the loaded one. */
    private void useThreads() {
        if (threads == null) {
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        require(
                threads >= 1 && threads <= cores,
                "--threads must be 1 to " + cores + " (this machine's cores), got " + threads);
        System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        System.setProperty("ai.djl.pytorch.num_interop_threads", threads.toString());
        Engine.getInstance();
        JniUtils.setNumThreads(threads); // in case the engine was loaded already
    }

    private int[] shard() {
        if (shard == null) {
            return new int[] {0, 1};
        }
        String[] parts = shard.split("/");
        try {
            int k = Integer.parseInt(parts[0].trim());
            int n = Integer.parseInt(parts[1].trim());
            require(parts.length == 2 && n > 0 && k >= 0 && k < n, "");
            return new int[] {k, n};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--shard must be K/N with 0 <= K < N, e.g. 0/4, got '" + shard + "'.");
        }
    }

    private Device device() {
        int gpus = Engine.getInstance().getGpuCount();
        switch (device.toLowerCase()) {
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
                require(
                        gpus > 0,
                        "--device gpu, but the engine sees no GPU: build with -Pgpu on a"
                                + " machine with an NVIDIA driver, or use --device cpu.");
                return Device.gpu();
            default:
                throw new IllegalArgumentException(
                        "--device must be auto, cpu or gpu, got '" + device + "'.");
        }
    }

    private IdxDataset dataset(
            DatasetInfo dataset, Usage usage, int limit, int batch, boolean shuffle) {
        return IdxDataset.builder()
                .optDataset(dataset)
                .optUsage(usage)
                .optDirectory(data.folder())
                .optLimit(limit)
                .setSampling(batch, shuffle)
                .build();
    }

    /**
     * Returns the run folder a sweep would resume, to read only, or null where {@code root} holds
     * no sweep yet; a folder of other settings is refused, as the run would refuse it.
     */
    private static RunFolder resumable(Path root, Protocol protocol) throws IOException {
        if (!Files.exists(root.resolve(RunFolder.PROTOCOL_FILE))) {
            return null;
        }
        RunFolder folder = RunFolder.existing(root);
        folder.checkSettings(protocol);
        return folder;
    }

    /**
     * Prints the cells, longest first, each with its estimated time ({@link TimeLeft}). In a run
     * folder to resume, only what is left counts: cells that have ended are marked done, and a
     * checkpointed cell counts the epochs it has left.
     */
    private static void printPlan(
            SweepPlan plan, Protocol protocol, Device target, RunFolder folder, PrintWriter log)
            throws IOException {
        log.printf(
                "Plan: %d cells on %s, longest first (the order workers claim them in); %s%n",
                plan.cells().size(), target, protocol.describe());
        CellCheckpoints checkpoints =
                folder == null ? null : new CellCheckpoints(folder.root(), log);
        TimeLeft timeLeft = TimeLeft.of(plan, target, folder);
        double total = 0;
        int left = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Cell cell : plan.longestFirst(manager)) {
                int epochs = protocol.epochs();
                String note = "";
                if (folder != null) {
                    try {
                        epochs = plan.epochsLeft(cell, folder, checkpoints);
                    } catch (BadInputException e) {
                        note = ", its record cannot be used: the run sets it aside and trains it";
                    }
                    if (epochs > 0 && Files.exists(checkpoints.latest(cell))) {
                        note =
                                ", resumes from its checkpoint in epoch "
                                        + (protocol.epochs() - epochs + 1);
                    }
                }
                double seconds = timeLeft.seconds(cell, epochs, manager);
                total += seconds;
                left += epochs > 0 ? 1 : 0;
                log.printf(
                        "  %-22s %-12s %,11d params %,7d steps   %s%n",
                        cell.id(),
                        cell.model(),
                        plan.parameters(cell, manager),
                        protocol.epochs() * protocol.stepsPerEpoch(),
                        epochs == 0 ? "done" : "~" + format(seconds) + note);
            }
        }
        log.printf(
                "Estimated total: ~%s here for %s%s%n",
                format(total),
                folder == null
                        ? "all " + left + " cells"
                        : String.format(
                                "the %d of %d cells left in %s",
                                left, plan.cells().size(), folder.root()),
                left == 0 ? "" : ": " + timeLeft.sources());
    }

    private static String format(double seconds) {
        return SweepProgress.format(Duration.ofSeconds(Math.round(seconds)));
    }

    private static void requireNoRepeats(String option, List<?> values) {
        Set<Object> seen = new HashSet<>();
        for (Object value : values) {
            require(seen.add(value), option + " lists " + value + " twice: give each once");
        }
    }

    /** Refuses bad input with one line (exit 2): {@code message} says what to do. */
    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
