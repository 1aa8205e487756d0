package io.github.depthsweep.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The claim queue's simulation: each free node takes the next cell. */
class MakespanTest {

    @Test
    void eachFreeNodeTakesTheNextCell() {
        List<Double> cells = List.of(5.0, 3.0, 3.0, 2.0, 2.0, 2.0);
        assertEquals(17, Makespan.seconds(cells, 1), 1e-9, "one node: the sum");
        // 2 nodes: 5 | 3, then 3 -> 6, 2 -> 7, 2 -> 8, 2 -> 9
        assertEquals(9, Makespan.seconds(cells, 2), 1e-9);
        // 3 nodes: 5 | 3 | 3, then 2 -> 5, 2 -> 5, 2 -> 7
        assertEquals(7, Makespan.seconds(cells, 3), 1e-9);
        assertEquals(5, Makespan.seconds(cells, 8), 1e-9, "more nodes than cells: the longest");
    }

    @Test
    void aLongCellLastKeepsTheOtherNodesWaiting() {
        assertEquals(5, Makespan.seconds(List.of(1.0, 1.0, 1.0, 4.0), 2), 1e-9);
        assertEquals(4, Makespan.seconds(List.of(4.0, 1.0, 1.0, 1.0), 2), 1e-9);
    }

    @Test
    void noNodesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Makespan.seconds(List.of(1.0), 0));
    }
}
