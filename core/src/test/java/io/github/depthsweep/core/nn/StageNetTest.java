package io.github.depthsweep.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StageNetTest {

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    /** Keras's "Total params" (BatchNorm moving statistics included) for the seed's 8 models. */
    @ParameterizedTest(name = "{0}-{1} has {2} parameters")
    @CsvSource({
        "plain, 12, 878250",
        "plain, 20, 1579370",
        "plain, 32, 2631050",
        "plain, 50, 4054250",
        "residual, 12, 921706",
        "residual, 20, 1622826",
        "residual, 32, 2674506",
        "residual, 50, 4097706"
    })
    void parameterCountsMatchKeras(String variant, int depth, long expected) {
        Block net = build(Variant.valueOf(variant.toUpperCase()), depth);
        assertEquals(expected, StageNet.countParameters(net));
    }

    @ParameterizedTest(name = "{0}-50: 28 -> 14 -> 7 -> 3 -> 1, then 10 classes")
    @CsvSource({"plain", "residual"})
    void everyStageHalvesTheImageAndTheHeadGivesTenScores(String variant) {
        SequentialBlock net = build(Variant.valueOf(variant.toUpperCase()), 50);
        List<Block> stages = net.getChildren().values();
        assertEquals(5, stages.size(), "4 stages and the head");
        long[] widths = {32, 64, 128, 256};
        long[] sizes = {28, 14, 7, 3, 1};
        Shape shape = new Shape(3, 1, 28, 28);
        for (int stage = 0; stage < 4; stage++) {
            Shape beforePool = beforePool((SequentialBlock) stages.get(stage), shape);
            assertEquals(new Shape(3, widths[stage], sizes[stage], sizes[stage]), beforePool);
            shape = stages.get(stage).getOutputShapes(new Shape[] {shape})[0];
            assertEquals(new Shape(3, widths[stage], sizes[stage + 1], sizes[stage + 1]), shape);
        }
        NDArray images = manager.randomUniform(0, 1, new Shape(3, 1, 28, 28));
        NDArray scores = forward(net, images, false);
        assertEquals(new Shape(3, 10), scores.getShape());
    }

    @Test
    void residualStageOutputIsMainBranchPlusShortcut() {
        ParallelBlock stage =
                KerasBlocks.residual(KerasBlocks.convBnUnits(64, 2), KerasBlocks.projection(64));
        Shape inputShape = new Shape(2, 32, 7, 7);
        stage.initialize(manager, DataType.FLOAT32, inputShape);
        NDArray input = manager.arange((float) inputShape.size()).reshape(inputShape).div(97).sin();

        NDArray joined = forward(stage, input, false);
        List<Block> branches = stage.getChildren().values();
        NDArray main = forward(branches.get(0), input, false);
        NDArray shortcut = forward(branches.get(1), input, false);

        assertEquals(new Shape(2, 64, 7, 7), joined.getShape());
        assertTrue(joined.allClose(main.add(shortcut), 1e-6, 1e-6, false));
        assertTrue(shortcut.abs().sum().getFloat() > 0, "the shortcut carries signal");
    }

    @Test
    void kerasSamePaddingAddsAZeroRowAndColumnAtBottomAndRight() {
        Block pad = KerasBlocks.kerasSamePadding2x2();
        NDArray input = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        NDArray padded = forward(pad, input, false);
        assertEquals(new Shape(1, 1, 3, 3), padded.getShape());
        assertArrayEquals(new float[] {1, 2, 0, 3, 4, 0, 0, 0, 0}, padded.toFloatArray());
    }

    @Test
    void kernelsAreGlorotUniformAndBiasesZero() {
        Block net = build(Variant.RESIDUAL, 12);
        for (Pair<String, Parameter> pair : net.getParameters()) {
            Parameter parameter = pair.getValue();
            NDArray array = parameter.getArray();
            if (parameter.getType() == Parameter.Type.WEIGHT) {
                Shape shape = array.getShape();
                long receptive = shape.dimension() > 2 ? shape.slice(2).size() : 1;
                double limit = Math.sqrt(6.0 / ((shape.get(0) + shape.get(1)) * receptive));
                float max = array.abs().max().getFloat();
                // float32 weights may round a hair above the double limit
                assertTrue(
                        max <= limit * (1 + 1e-6) && max > 0.8 * limit, pair.getKey() + ": " + max);
            } else if (parameter.getType() == Parameter.Type.BIAS) {
                assertEquals(0f, array.abs().sum().getFloat(), pair.getKey());
            }
        }
    }

    @Test
    void badDepthsAndVariantsAreRefusedWithTheAllowedValues() {
        IllegalArgumentException depth =
                assertThrows(IllegalArgumentException.class, () -> StageNet.builder().setDepth(3));
        assertTrue(depth.getMessage().contains("4 or more"), depth.getMessage());
        IllegalArgumentException variant =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> io.github.depthsweep.core.model.Architecture.parse("dense"));
        assertTrue(
                variant.getMessage().contains("plain, residual, resnetv1"), variant.getMessage());
        assertThrows(IllegalStateException.class, () -> StageNet.builder().setDepth(12).build());
    }

    @Test
    void stagePlanFollowsTheSeedAndSpreadsTheRemainderOverTheFirstStages() {
        assertEquals("3+3+3+3", StagePlan.forDepth(12).toString());
        assertEquals("5+5+5+5", StagePlan.forDepth(20).toString());
        assertEquals("8+8+8+8", StagePlan.forDepth(32).toString());
        assertEquals("13+13+12+12", StagePlan.forDepth(50).toString());
        assertEquals("2+1+1+1", StagePlan.forDepth(5).toString());
        assertEquals("plain-12", StageNet.name(Variant.PLAIN, 12));
    }

    @Test
    void smallestNetworkGivesFiniteScoresForEachImageInTrainingModeInBothVariants() {
        for (Variant variant : Variant.values()) {
            Block net = build(variant, 4);
            NDArray images = manager.randomUniform(0, 1, new Shape(2, 1, 28, 28));
            NDArray scores = forward(net, images, true);
            assertEquals(new Shape(2, 10), scores.getShape());
            for (float score : scores.toFloatArray()) {
                assertTrue(Float.isFinite(score), variant + ": " + score);
            }
        }
    }

    private static SequentialBlock build(Variant variant, int depth) {
        SequentialBlock net = StageNet.builder().setVariant(variant).setDepth(depth).build();
        net.initialize(manager, DataType.FLOAT32, StageNet.INPUT_SHAPE);
        return net;
    }

    private static Shape beforePool(SequentialBlock stage, Shape input) {
        Shape shape = input;
        List<Block> children = stage.getChildren().values();
        for (Block child : children.subList(0, children.size() - 1)) {
            shape = child.getOutputShapes(new Shape[] {shape})[0];
        }
        return shape;
    }

    private static NDArray forward(Block block, NDArray input, boolean training) {
        ParameterStore parameters = new ParameterStore(manager, false);
        return block.forward(parameters, new NDList(input), training).singletonOrThrow();
    }
}
