package io.github.depthsweep.experiments;

import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.experiments.report.KerasComparison;
import io.github.depthsweep.experiments.report.KerasRun;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code depthsweep keras-report}: compares the runs of the seed's own Keras code ({@code
 * experiments/peer/peer_keras.py train}) with a depthsweep run folder of the same protocol, cell by
 * cell: {@link KerasComparison}'s page and plot. Runs still training are listed, not compared, so
 * the report can be redrawn while they train.
 */
@Command(
        name = "keras-report",
        mixinStandardHelpOptions = true,
        description = {
            "Compares Keras runs (peer_keras.py train --out KERAS_RUN, each folder named"
                    + " VARIANT-DEPTH-seedS) with a depthsweep run folder of the same protocol:"
                    + " OUT/"
                    + KerasComparison.FILE
                    + " (final test accuracy per cell, the difference and its 95% Welch interval)"
                    + " and OUT/"
                    + KerasComparison.PLOT
                    + ".",
            "Runs still training are listed with their epoch and left out of the statistics."
        })
final class KerasReportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(
            arity = "0..*",
            paramLabel = "KERAS_RUN",
            description =
                    "Keras run folders: each holds epochs.json, and result.json once finished,"
                            + " and is named VARIANT-DEPTH-seedS, e.g. plain-50-seed0.")
    List<Path> runs = new ArrayList<>();

    @Option(
            names = "--against",
            required = true,
            paramLabel = "RUN",
            description = "depthsweep's run folder to compare with, e.g. docs/results/paper.")
    Path against;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description =
                    "Where to write "
                            + KerasComparison.FILE
                            + " and "
                            + KerasComparison.PLOT
                            + " (rewritten whole).")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<CellResult> ours =
                RunFolder.existing(against).results().stream()
                        .filter(CellResult::finished)
                        .toList();
        if (ours.isEmpty()) {
            throw new BadInputException(
                    against
                            + " has no finished cells to compare with: give --against a run folder"
                            + " whose cells have finished, e.g. docs/results/paper.");
        }
        List<Protocol> protocols = ours.stream().map(CellResult::protocol).distinct().toList();
        if (protocols.size() > 1) {
            throw new BadInputException(
                    against
                            + " holds cells of several protocols ("
                            + protocols.stream()
                                    .map(Protocol::describe)
                                    .collect(Collectors.joining("; "))
                            + "): give --against a run folder of one protocol.");
        }
        Protocol protocol = protocols.get(0);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("--out " + out + " is a file: give a folder.");
        }
        List<KerasRun> keras = new ArrayList<>();
        Map<String, Path> ids = new HashMap<>();
        for (Path run : runs) {
            if (!Files.exists(run) && run.toString().contains("*")) {
                throw new BadInputException(
                        run
                                + " matches no folder: give the Keras runs' folders, or none to"
                                + " write the report without them.");
            }
            KerasRun read = KerasRun.read(run, protocol.epochs());
            Path other = ids.put(read.id(), run);
            if (other != null) {
                throw new BadInputException(
                        "Two folders hold Keras run "
                                + read.id()
                                + " ("
                                + other
                                + " and "
                                + run
                                + "): give one of them.");
            }
            keras.add(read);
        }
        KerasComparison.write(keras, ours, protocol, command(), out);
        long finished = keras.stream().filter(KerasRun::finished).count();
        PrintWriter console = spec.commandLine().getOut();
        console.printf(
                "%d Keras runs finished and %d training, against %d cells of %s: %s%n",
                finished,
                keras.size() - finished,
                ours.size(),
                against,
                out.resolve(KerasComparison.FILE));
        return 0;
    }

    /** This command as it was given, for the report's page. */
    private String command() {
        StringBuilder command = new StringBuilder("depthsweep keras-report");
        runs.forEach(run -> command.append(' ').append(run));
        return command.append(" --against ")
                .append(against)
                .append(" --out ")
                .append(out)
                .toString();
    }
}
