package io.github.depthsweep.experiments.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PlotsTest {

    @Test
    void movingAverageTakesTheWindowBeforeEachValueAndFewerAtTheStart() {
        assertArrayEquals(
                new double[] {2, 3, 5, 7, 9},
                Plots.movingAverage(new double[] {2, 4, 6, 8, 10}, 2),
                1e-12);
        assertArrayEquals(new double[] {1, 5}, Plots.movingAverage(new double[] {1, 5}, 1), 1e-12);
    }
}
