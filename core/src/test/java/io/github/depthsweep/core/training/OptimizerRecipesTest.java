package io.github.depthsweep.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optimizer registry: each recipe by its name, a one-line refusal of any other, and he2016's
 * step schedule as its optimizer really applies it.
 */
class OptimizerRecipesTest {

    @Test
    void eachRecipeIsFoundByItsName() {
        assertEquals(List.of("adam", "he2016", "he2016-warmup"), OptimizerRecipes.names());
        for (String name : OptimizerRecipes.names()) {
            OptimizerRecipe recipe = OptimizerRecipes.get(name);
            assertEquals(name, recipe.name());
            assertSame(recipe, OptimizerRecipes.find(name).orElseThrow());
        }
        OptimizerRecipe adam = OptimizerRecipes.get("adam");
        assertEquals(1e-4f, adam.defaultLearningRate());
        assertEquals(1e-6f, adam.defaultDecay());
        assertEquals(ResumableAdam.KIND, adam.create(1e-4f, 1e-6f, 10).kind());
        assertEquals("Adam lr 1.0E-4 decay 1.0E-6", adam.describe(1e-4f, 1e-6f, 10_000));
        OptimizerRecipe he2016 = OptimizerRecipes.get("he2016");
        assertEquals(0.1f, he2016.defaultLearningRate());
        assertEquals(0f, he2016.defaultDecay());
        assertEquals(ResumableSgd.KIND, he2016.create(0.1f, 0, 10).kind());
        assertEquals(
                "SGD momentum 0.9 lr 0.1, /10 after steps 5,000 and 7,500, weight decay 1.0E-4",
                he2016.describe(0.1f, 0, 10_000));
    }

    @Test
    void anUnknownNameIsRefusedInOneLineListingTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> OptimizerRecipes.get("sgd"));
        assertEquals(
                "Unknown optimizer 'sgd': use one of adam, he2016, he2016-warmup.", e.getMessage());
        assertTrue(OptimizerRecipes.find("Adam").isEmpty(), "names are exact");
        assertTrue(OptimizerRecipes.find(null).isEmpty());
    }

    @Test
    void he2016RefusesKerasDecayAndRunsTooShortForTwoDrops() {
        OptimizerRecipe he2016 = OptimizerRecipes.get("he2016");
        assertNull(he2016.problem(0.1f, 0, 3));
        assertEquals(
                "he2016 takes no Keras decay (its rate steps down /10 at 50% and 75% of the steps),"
                        + " got decay 1.0E-6",
                he2016.problem(0.1f, 1e-6f, 10_000));
        assertEquals(
                "he2016 needs at least 3 steps to drop its rate twice, got 2",
                he2016.problem(0.1f, 0, 2));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> he2016.create(0.1f, 1e-6f, 10));
        assertTrue(e.getMessage().startsWith("he2016 takes no Keras decay"), e.getMessage());
        assertNull(OptimizerRecipes.get("adam").problem(1e-4f, 1e-6f, 1));
    }

    /**
     * The seed's full run, 10,000 steps: the rate is 0.1 up to step 5,000, a tenth of it from step
     * 5,001 to 7,500, a hundredth after. Read from the optimizer itself, through its momentum
     * buffer: {@code v(t) = 0.9 v(t-1) + lr(t) (g + 1e-4 w(t-1))}.
     */
    @Test
    void he2016DividesTheRateBy10AfterHalfAndAfterThreeQuartersOfTheSteps() {
        List<Float> rates = appliedRates(OptimizerRecipes.get("he2016"), 0.1f, 10_000);
        assertEquals(10_000, rates.size());
        assertRate(0.1, rates, 1);
        assertRate(0.1, rates, 5_000);
        assertRate(0.01, rates, 5_001);
        assertRate(0.01, rates, 7_500);
        assertRate(0.001, rates, 7_501);
        assertRate(0.001, rates, 10_000);
        // A shorter run moves its drops with it, and another initial rate scales them.
        List<Float> short8 = appliedRates(OptimizerRecipes.get("he2016"), 0.2f, 8);
        assertRate(0.2, short8, 4);
        assertRate(0.02, short8, 5);
        assertRate(0.02, short8, 6);
        assertRate(0.002, short8, 7);
    }

    /**
     * He et al.'s warm-up: 400 steps at a tenth of the rate, then the rate, with the drops where
     * they are without it; a run too short to warm up before its first drop is refused.
     */
    @Test
    void he2016WarmupTrainsItsFirst400StepsAtATenthOfTheRate() {
        OptimizerRecipe warmup = OptimizerRecipes.get("he2016-warmup");
        List<Float> rates = appliedRates(warmup, 0.1f, 10_000);
        assertRate(0.01, rates, 1);
        assertRate(0.01, rates, 400);
        assertRate(0.1, rates, 401);
        assertRate(0.1, rates, 5_000);
        assertRate(0.01, rates, 5_001);
        assertRate(0.001, rates, 7_501);
        assertEquals(
                "SGD momentum 0.9 lr 0.1 after 400 steps at 0.01, /10 after steps 5,000 and 7,500,"
                        + " weight decay 1.0E-4",
                warmup.describe(0.1f, 0, 10_000));
        assertNull(warmup.problem(0.1f, 0, 802));
        assertEquals(
                "he2016-warmup warms up for 400 steps before its first drop at half the run: it"
                        + " needs at least 802 steps, got 801",
                warmup.problem(0.1f, 0, 801));
    }

    private static void assertRate(double expected, List<Float> rates, int step) {
        assertEquals(expected, rates.get(step - 1), expected * 1e-3, "the rate at step " + step);
    }

    /**
     * Updates a one-element weight with gradient 1 for every step of a run, and returns the rate
     * each update applied.
     */
    private static List<Float> appliedRates(OptimizerRecipe recipe, float rate, int steps) {
        ResumableOptimizer optimizer = recipe.create(rate, 0, steps);
        List<Float> rates = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {0.5f});
            NDArray gradient = manager.create(new float[] {1f});
            float velocity = 0;
            for (int t = 1; t <= steps; t++) {
                float before = weight.getFloat(0);
                optimizer.update("w", weight, gradient);
                float now = optimizer.state("w").arrays().get("momentum").getFloat(0);
                rates.add((now - 0.9f * velocity) / (1 + 1e-4f * before));
                velocity = now;
            }
        }
        return rates;
    }
}
