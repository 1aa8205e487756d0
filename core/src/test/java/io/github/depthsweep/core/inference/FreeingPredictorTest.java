package io.github.depthsweep.core.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FreeingPredictor#forward} frees what each step computed, inside sequences and inside the
 * branches of a {@code ParallelBlock} (the seed's residual stages), and still computes the same.
 */
class FreeingPredictorTest {

    @Test
    void aDeepBranchHoldsAFewArraysAtATimeWhereDjlHoldsThemAll() {
        try (NDManager root = NDManager.newBaseManager()) {
            int[] most = {0};
            // A residual stage: twenty steps on one branch, the identity on the other.
            SequentialBlock branch = new SequentialBlock();
            for (int i = 0; i < 20; i++) {
                branch.add(
                        list -> {
                            most[0] = Math.max(most[0], root.getManagedArrays().size());
                            return new NDList(list.head().add(1f));
                        });
            }
            ParallelBlock residual =
                    new ParallelBlock(
                            outputs -> new NDList(outputs.get(0).head().add(outputs.get(1).head())),
                            List.of(branch, Blocks.identityBlock()));
            SequentialBlock net = new SequentialBlock().add(residual).add(list -> list);

            try (NDManager batch = root.newSubManager()) {
                ParameterStore parameters = new ParameterStore(batch, false);
                NDArray input = batch.ones(new Shape(2, 3));
                NDList output = FreeingPredictor.forward(net, parameters, new NDList(input));
                assertArrayEquals(
                        new float[] {22, 22, 22, 22, 22, 22}, output.head().toFloatArray());
                assertTrue(most[0] <= 6, "arrays alive at once: " + most[0]);
                assertEquals(List.of(output.head()), batch.getManagedArrays(), "only the output");

                most[0] = 0;
                NDArray again = batch.ones(new Shape(2, 3));
                NDList djl = net.forward(parameters, new NDList(again), false);
                assertArrayEquals(output.head().toFloatArray(), djl.head().toFloatArray());
                assertTrue(most[0] >= 20, "DJL keeps every step's output: " + most[0]);
            }
        }
    }
}
