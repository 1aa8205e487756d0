package io.github.depthsweep.core.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@link OptimizerRecipe}, by name: a run records the name, and this gives back the recipe. A
 * new optimizer is one class that implements {@link OptimizerRecipe} plus one line here.
 */
public final class OptimizerRecipes {

    private static final Map<String, OptimizerRecipe> RECIPES = new LinkedHashMap<>();

    static {
        register(new AdamRecipe());
        register(new He2016Recipe(0));
        register(new He2016Recipe(ResumableSgd.HE2016_WARMUP_STEPS));
    }

    private OptimizerRecipes() {}

    private static void register(OptimizerRecipe recipe) {
        if (RECIPES.putIfAbsent(recipe.name(), recipe) != null) {
            throw new IllegalStateException("two optimizer recipes are named " + recipe.name());
        }
    }

    /**
     * Returns a recipe by name.
     *
     * @param name e.g. {@code adam}
     * @return the recipe
     * @throws IllegalArgumentException if no recipe has that name; the message, one line, lists the
     *     names there are
     */
    public static OptimizerRecipe get(String name) {
        return find(name)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "Unknown optimizer '"
                                                + name
                                                + "': use one of "
                                                + String.join(", ", names())
                                                + "."));
    }

    /**
     * Returns a recipe by name, if there is one.
     *
     * @param name e.g. {@code adam}; null finds nothing
     * @return the recipe, or empty
     */
    public static Optional<OptimizerRecipe> find(String name) {
        return Optional.ofNullable(name == null ? null : RECIPES.get(name));
    }

    /**
     * Returns the names of every recipe, in the order they were registered.
     *
     * @return e.g. {@code [adam, he2016, he2016-warmup]}
     */
    public static List<String> names() {
        return List.copyOf(RECIPES.keySet());
    }
}
