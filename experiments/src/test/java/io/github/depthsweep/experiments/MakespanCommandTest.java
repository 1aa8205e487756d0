package io.github.depthsweep.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code depthsweep makespan} on the committed paper run's cells. */
class MakespanCommandTest {

    private static final String PAPER = Path.of("..", "docs", "results", "paper").toString();

    @Test
    void simulatesBothOrdersOnTheNodesAsked() {
        CliRun run = CliRun.of("makespan", PAPER, "--nodes", "1,2,8", "--seeds", "1,3");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("A simulation of the claim queue, not a run"), run.out());
        List<String[]> rows =
                run.out()
                        .lines()
                        .filter(l -> l.matches("\\| \\d+ \\| \\d+ \\| \\d+ \\|.*"))
                        .map(l -> l.replace(" ", "").split("\\|"))
                        .toList();
        assertEquals(6, rows.size(), run.out());
        for (String[] row : rows) {
            int nodes = Integer.parseInt(row[1]);
            int seeds = Integer.parseInt(row[2]);
            assertEquals(8 * seeds, Integer.parseInt(row[3]), "8 models, each seed a cell");
            long depthOrder = seconds(row[4]);
            long longestFirst = seconds(row[5]);
            if (nodes == 1) {
                assertEquals(depthOrder, longestFirst, "one node: the sum, in any order");
            }
        }
        // 3 seeds on 8 nodes: in depth order the six 50-layer cells start last
        assertTrue(
                seconds(rows.get(5)[4]) > seconds(rows.get(5)[5]),
                "longest first is sooner for 3 seeds on 8 nodes: " + run.out());
    }

    @Test
    void recordedTimesNeedEverySessionsEnd() {
        // the paper run's first cells were recorded before sessions had an end time
        CliRun run = CliRun.of("makespan", PAPER, "--times", "sessions");
        assertEquals(2, run.code(), run.out());
        assertTrue(run.err().contains("has a session without a recorded end"), run.err());
    }

    @Test
    void aFolderWithoutCellsGetsOneLine() {
        CliRun run = CliRun.of("makespan", Path.of("no-such-run").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("error: "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    /** The seconds of h:mm:ss. */
    private static long seconds(String time) {
        String[] parts = time.split(":");
        return Long.parseLong(parts[0]) * 3600
                + Long.parseLong(parts[1]) * 60
                + Long.parseLong(parts[2]);
    }
}
