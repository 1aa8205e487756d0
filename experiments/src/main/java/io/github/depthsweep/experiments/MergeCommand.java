package io.github.depthsweep.experiments;

import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.experiments.report.Reports;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code depthsweep merge}: combines the cells of several run folders (the shards of one sweep, or
 * several seeds run apart) into one set of tables and plots.
 */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        description = "Combines run folders into one results.md, results.csv and set of plots.")
final class MergeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run folders to combine.")
    List<Path> runs;

    @Option(
            names = "--out",
            required = true,
            description = "Where to write the combined tables and plots.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Map<String, CellResult> cells = new LinkedHashMap<>();
        Protocol protocol = null;
        for (Path run : runs) {
            for (CellResult result : RunFolder.existing(run).results()) {
                if (protocol != null && !protocol.equals(result.protocol())) {
                    throw new BadInputException(
                            "Cannot merge runs with different settings: "
                                    + run
                                    + " has "
                                    + result.protocol().describe()
                                    + "; another has "
                                    + protocol.describe()
                                    + ".");
                }
                protocol = result.protocol();
                cells.putIfAbsent(result.id(), result);
            }
        }
        List<CellResult> merged = new ArrayList<>(cells.values());
        merged.sort((a, b) -> a.id().compareTo(b.id()));
        Files.createDirectories(out);
        Reports.write(merged, out);
        spec.commandLine()
                .getOut()
                .printf(
                        "merged %d cells from %d folders into %s%n",
                        merged.size(), runs.size(), out.resolve("results.md"));
        return 0;
    }
}
