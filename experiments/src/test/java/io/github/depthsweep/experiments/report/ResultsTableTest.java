package io.github.depthsweep.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.experiments.run.CellProgress;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.system.Machine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

    @Test
    void tableShowsMeanAndSpreadOverSeedsBesideTheSeedsNumbers() {
        List<CellResult> results = new ArrayList<>();
        results.add(TestCells.cell("plain", 50, 0, 0.20));
        results.add(TestCells.cell("plain", 50, 1, 0.30));
        results.add(TestCells.cell("plain", 50, 2, 0.25));
        results.add(TestCells.cell("residual", 50, 0, 0.86));
        String md = ResultsTable.markdown(results);
        assertTrue(md.contains("| plain (ours) | 25.00 ± 5.00 (3) |"), md);
        assertTrue(md.contains("| plain (seed) | 23.74 |"), md);
        assertTrue(md.contains("| residual (ours) | 86.00 |"), md);
        assertTrue(md.contains("| residual (seed) | 86.09 |"), md);
        assertFalse(
                md.contains("precise BN, final"), "no precise-BN table when it was not measured");
    }

    @Test
    void eachCellSaysHowManyProcessesTrainedItAndOnWhichCpus() {
        CellResult plain = TestCells.cell("plain", 12, 0, 0.89);
        Machine zen5 = new Machine("AMD EPYC (family 26 model 2)", 2, 2, "tcmalloc", "PyTorch");
        Machine xeon = new Machine("Intel Xeon (family 6 model 143)", 2, 2, "tcmalloc", "PyTorch");
        List<CellProgress.Session> sessions =
                List.of(
                        new CellProgress.Session(
                                "2026-11-28T14:59:22Z",
                                "2026-11-28T15:51:22Z",
                                0,
                                4572,
                                zen5,
                                "cpu()"),
                        new CellProgress.Session(
                                "2026-11-28T15:51:59Z",
                                "2026-11-28T17:30:59Z",
                                4572,
                                9300,
                                zen5,
                                "cpu()"),
                        new CellProgress.Session(
                                "2026-11-29T09:00:00Z",
                                "2026-11-29T09:15:00Z",
                                9300,
                                10000,
                                xeon,
                                "cpu()"));
        CellResult resumed =
                TestCells.cell(
                        "plain",
                        12,
                        0,
                        TestCells.PAPER,
                        plain.epochs(),
                        TestCells.NO_NORMS,
                        sessions);
        assertEquals(
                "3 (AMD EPYC (family 26 model 2), Intel Xeon (family 6 model 143))",
                ResultsTable.sessions(resumed));
        assertEquals("-", ResultsTable.sessions(plain), "cells recorded before sessions were");
        assertTrue(ResultsTable.markdown(List.of(resumed)).contains("| 3 (AMD EPYC"));
        // 52 min + 1 h 39 min + 15 min, from each session's start to its last save
        assertEquals(Duration.ofMinutes(52 + 99 + 15), resumed.wallTime().orElseThrow());
        assertTrue(ResultsTable.markdown(List.of(resumed)).contains("| 60 | 2:46 |"));
        assertTrue(ResultsTable.csv(List.of(resumed)).endsWith(",finished,9960\n"));
        assertTrue(plain.wallTime().isEmpty(), "no sessions recorded: no wall time");
    }

    @Test
    void sessionsRecordedBeforeTheirEndWasReadWithoutAWallTime() throws IOException {
        CellProgress.Session old =
                RunFolder.JSON.readValue(
                        "{\"started\":\"2026-11-28T17:48:07Z\",\"fromStep\":0,\"toStep\":10000,"
                                + "\"device\":\"cpu()\"}",
                        CellProgress.Session.class);
        assertEquals(10000, old.toStep());
        assertTrue(old.wallTime().isEmpty());
    }

    @Test
    void csvHasOneRowPerCellWithEmptyPreciseBnWhereNotMeasured() {
        String csv = ResultsTable.csv(List.of(TestCells.cell("residual", 12, 0, 0.8943)));
        assertEquals(
                ResultsTable.CSV_HEADER
                        + "\nresidual,12,0,1,100,0.8943,0.8943,1,60.0,,,finished,\n",
                csv);
    }
}
