package io.github.depthsweep.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.nn.StagePlan;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A net's parameter count, worked out without building it, is the count of the built net; depths
 * are bounded by {@link StagePlan#MAX_DEPTH} for every architecture.
 */
class ParameterCountTest {

    @ParameterizedTest(name = "{0}-{1}, {2} classes")
    @CsvSource({
        "plain, 4, 10",
        "plain, 5, 10",
        "plain, 12, 10",
        "plain, 50, 3",
        "residual, 4, 10",
        "residual, 13, 10",
        "residual, 50, 10",
        "resnetv1, 8, 10",
        "resnetv1, 20, 4"
    })
    void theCountWithoutBuildingIsTheBuiltNets(String name, int depth, int classes) {
        Architecture architecture = Architecture.parse(name);
        Block block = architecture.build(depth, classes);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, StageNet.INPUT_SHAPE);
            assertEquals(
                    StageNet.countParameters(block), architecture.parameterCount(depth, classes));
        }
    }

    @Test
    void everyArchitectureIsBoundedByOneMaximumDepth() {
        assertEquals(1202, StagePlan.MAX_DEPTH);
        for (Architecture architecture : Architecture.values()) {
            for (int depth : new int[] {StagePlan.MAX_DEPTH + 1, 100_000, 2_000_000_000}) {
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> architecture.checkDepth(depth));
                assertEquals(
                        "Depth "
                                + depth
                                + " is too large: depthsweep builds nets of 4 to 1202 layers (the"
                                + " seed uses 12, 20, 32 and 50).",
                        e.getMessage());
            }
        }
        // The deepest stage net is counted in no time, and fits a long with room to spare.
        long deepest = Architecture.PLAIN.parameterCount(StagePlan.MAX_DEPTH, 10);
        assertTrue(deepest > 100_000_000 && deepest < 200_000_000, "" + deepest);
    }

    @Test
    void aCountNamesTheNetItBelongsTo() {
        long residual12 = Architecture.RESIDUAL.parameterCount(12, 10);
        assertEquals(Optional.of("residual-12"), Architecture.withParameterCount(residual12, 10));
        assertEquals(Optional.empty(), Architecture.withParameterCount(17, 10));
    }
}
