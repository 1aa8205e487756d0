package io.github.depthsweep.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import io.github.depthsweep.core.nn.KerasBlocks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreciseBatchNormTest {

    @ParameterizedTest(name = "momentum {0}")
    @ValueSource(floats = {0.9f, 0.99f, 0.5f})
    void statisticsBecomeThePlainAverageOfBatchStatistics(float momentum) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block norm = BatchNorm.builder().optMomentum(momentum).build();
            norm.initialize(manager, DataType.FLOAT32, new Shape(4, 3));
            List<NDArray> inputs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // channel c of batch i has mean about (i + 1) * (c + 1) and a spread of (c + 1)
                NDArray scale = manager.create(new float[] {1, 2, 3});
                inputs.add(manager.randomNormal(new Shape(4, 3)).add(i + 1).mul(scale));
            }

            int used = PreciseBatchNorm.reestimate(norm, batches(manager, inputs), 10);

            assertEquals(3, used, "all three batches, then the data ran out");
            float[] expectedMean = new float[3];
            float[] expectedVar = new float[3];
            for (NDArray input : inputs) {
                float[] mean = input.mean(new int[] {0}).toFloatArray();
                // BatchNorm's moving variance uses the unbiased batch variance, as PyTorch does
                float[] var =
                        input.sub(input.mean(new int[] {0}))
                                .square()
                                .sum(new int[] {0})
                                .div(input.getShape().get(0) - 1)
                                .toFloatArray();
                for (int c = 0; c < 3; c++) {
                    expectedMean[c] += mean[c] / inputs.size();
                    expectedVar[c] += var[c] / inputs.size();
                }
            }
            assertArrayEquals(expectedMean, statistic(norm, "runningMean"), 1e-4f);
            assertArrayEquals(expectedVar, statistic(norm, "runningVar"), 1e-4f);
        }
    }

    @Test
    void findsTheBatchNormInsideNestedBlocksAndStopsAtMaxBatches() {
        // Seeded: the random weights and inputs otherwise follow whatever other tests drew.
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block unit = KerasBlocks.convBn(2);
            unit.initialize(manager, DataType.FLOAT32, new Shape(8, 1, 4, 4));
            List<NDArray> inputs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                inputs.add(manager.randomUniform(0, 1, new Shape(8, 1, 4, 4)));
            }
            Block norm = unit.getChildren().get("04BatchNorm");
            float[] before = statistic(norm, "runningVar");

            assertEquals(2, PreciseBatchNorm.reestimate(unit, batches(manager, inputs), 2));
            float[] after = statistic(norm, "runningVar");
            for (int c = 0; c < after.length; c++) {
                assertEquals(1f, before[c]);
                assertEquals(true, after[c] < 0.5f, "moved from 1 to the real variance");
            }
        }
    }

    private static float[] statistic(Block norm, String name) {
        return norm.getParameters().get(name).getArray().toFloatArray();
    }

    private static List<Batch> batches(NDManager manager, List<NDArray> inputs) {
        List<Batch> batches = new ArrayList<>();
        for (NDArray input : inputs) {
            NDManager batchManager = manager.newSubManager();
            batches.add(
                    new Batch(
                            batchManager,
                            new NDList(input.duplicate()),
                            new NDList(),
                            (int) input.getShape().get(0),
                            Batchifier.STACK,
                            Batchifier.STACK,
                            0,
                            inputs.size()));
        }
        return batches;
    }
}
