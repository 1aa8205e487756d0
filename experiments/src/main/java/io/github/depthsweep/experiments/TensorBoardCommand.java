package io.github.depthsweep.experiments;

import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.tensorboard.CellEvents;
import io.github.depthsweep.experiments.tensorboard.RunEvents;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code depthsweep tensorboard}: writes TensorBoard event files from the finished cells of run
 * folders, the same events a sweep writes as it trains: for runs from before the sweep wrote them,
 * runs copied without them (the committed {@code docs/results} runs), or a sweep whose events could
 * not be written.
 */
@Command(
        name = "tensorboard",
        mixinStandardHelpOptions = true,
        description = {
            "Writes TensorBoard event files from the finished cells of run folders: OUT/RUN/CELL/"
                    + " for each, as a sweep writes them into RUN/tensorboard/ while it trains.",
            "Then: tensorboard --logdir OUT"
        })
final class TensorBoardCommand implements Callable<Integer> {

    /** Marks an export's folder with the run folder it was written from. */
    static final String SOURCE_FILE = ".depthsweep-source";

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run folders to export.")
    List<Path> runs;

    @Option(
            names = "--out",
            required = true,
            description = "Where to write: one folder per run, named as the run folder.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        Map<String, Path> names = new HashMap<>();
        List<Path> targets = new ArrayList<>();
        for (Path run : runs) {
            RunFolder.existing(run); // refuses a folder that is not a run
            String name = run.toAbsolutePath().normalize().getFileName().toString();
            Path other = names.put(name, run);
            if (other != null) {
                throw new BadInputException(
                        "Two run folders are named "
                                + name
                                + " ("
                                + other
                                + " and "
                                + run
                                + "): export them with separate --out folders, so that their"
                                + " cells are not mixed.");
            }
            targets.add(claim(out.resolve(name), run));
        }
        for (int i = 0; i < runs.size(); i++) {
            List<IOException> errors = new ArrayList<>();
            RunEvents events = new RunEvents(targets.get(i), errors::add);
            List<CellResult> results = RunFolder.existing(runs.get(i)).results();
            for (CellResult result : results) {
                events.cell(
                                result.id(),
                                CellEvents.hparams(
                                        result.variant(),
                                        result.depth(),
                                        result.seed(),
                                        result.protocol()),
                                result)
                        .close();
            }
            events.plots(runs.get(i), results.size());
            if (!errors.isEmpty()) {
                throw new BadInputException(
                        "Cannot write TensorBoard's events into "
                                + targets.get(i)
                                + ": "
                                + RunEvents.describe(errors.get(0))
                                + ". Give another --out.");
            }
            console.printf("%s: %d cells into %s%n", runs.get(i), results.size(), targets.get(i));
        }
        console.printf("view them: tensorboard --logdir %s%n", out);
        return 0;
    }

    /**
     * Makes or reuses a run's export folder: a folder written from another run, or holding files of
     * its own, is refused rather than mixed with this run's.
     */
    private static Path claim(Path target, Path run) throws IOException {
        String source = run.toAbsolutePath().normalize().toString();
        Path marker = target.resolve(SOURCE_FILE);
        if (Files.isRegularFile(marker)) {
            String previous = Files.readString(marker).strip();
            if (!previous.equals(source)) {
                throw new BadInputException(
                        target
                                + " holds the export of another run ("
                                + previous
                                + "): give another --out, or delete it.");
            }
            return target;
        }
        if (Files.isDirectory(target)) {
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new BadInputException(
                            target
                                    + " exists and is not an export of depthsweep's: give another"
                                    + " --out.");
                }
            }
        } else if (Files.exists(target)) {
            throw new BadInputException(target + " is a file: give another --out.");
        }
        try {
            Files.createDirectories(target);
            Files.writeString(marker, source + System.lineSeparator());
        } catch (IOException e) {
            throw new BadInputException(
                    "Cannot write into "
                            + target
                            + " ("
                            + RunEvents.describe(e)
                            + "): give another --out.");
        }
        return target;
    }
}
