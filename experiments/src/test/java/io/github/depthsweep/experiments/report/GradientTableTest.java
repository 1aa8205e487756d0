package io.github.depthsweep.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.GradientNorms;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientTableTest {

    /** Steps 1, 10, ..., 1000 as a sweep samples them; stage1's norm is 10000 / step, head's 1. */
    private static GradientNorms falling() {
        List<Integer> steps = new ArrayList<>();
        List<double[]> norms = new ArrayList<>();
        steps.add(1);
        norms.add(new double[] {10_000, 1});
        for (int step = 10; step <= 1000; step += 10) {
            steps.add(step);
            norms.add(new double[] {10_000.0 / step, 1});
        }
        return new GradientNorms(List.of("stage1", "head"), steps, norms);
    }

    @Test
    void earlyIsTheFirstPercentOfStepsAndLateTheLastTenPercent() {
        GradientNorms norms = falling();
        // early: steps 1 and 10 (<= 10): norms 10,000 and 1,000, median 5,500
        assertEquals(5_500, GradientTable.median(norms, 0, true), 1e-9);
        // late: steps 910 ... 1000, ten samples; median of 10000/950 and 10000/960
        assertEquals((10_000.0 / 950 + 10_000.0 / 960) / 2, GradientTable.median(norms, 0, false));
        assertEquals(1, GradientTable.median(norms, 1, false));
    }

    @Test
    void tableHasARowPerSampledCellAndAColumnPerPart() {
        String md = GradientTable.markdown(List.of(cell(falling())));
        assertTrue(md.contains("| cell | stage1 | head |"), md);
        assertTrue(md.contains("| plain-50-seed0 | 5,500 \u2192 10.5 | 1.00 \u2192 1.00 |"), md);
        assertEquals(
                "",
                GradientTable.markdown(List.of(cell(TestCells.NO_NORMS))),
                "no samples, no section");
    }

    @Test
    void figuresKeepThreeSignificantDigits() {
        assertEquals("2,921", GradientTable.format(2920.84));
        assertEquals("31.6", GradientTable.format(31.64));
        assertEquals("6.58", GradientTable.format(6.584));
        assertEquals("0.372", GradientTable.format(0.3724));
    }

    private static CellResult cell(GradientNorms norms) {
        CellResult plain50 = TestCells.cell("plain", 50, 0, 0.5);
        return TestCells.cell("plain", 50, 0, TestCells.PAPER, plain50.epochs(), norms, List.of());
    }
}
