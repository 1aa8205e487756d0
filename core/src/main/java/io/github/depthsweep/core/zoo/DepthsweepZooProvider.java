package io.github.depthsweep.core.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/**
 * Makes {@link DepthsweepModelZoo} known to DJL: listed in {@code
 * META-INF/services/ai.djl.repository.zoo.ZooProvider}, so {@code Criteria} finds the zoo by its
 * group id. Where a host's class loaders hide that file, call {@code ModelZoo.registerModelZoo(new
 * DepthsweepZooProvider())} once.
 */
public final class DepthsweepZooProvider implements ZooProvider {

    /** Creates the provider. */
    public DepthsweepZooProvider() {}

    /**
     * Returns a new {@link DepthsweepModelZoo}.
     *
     * @return the zoo
     */
    @Override
    public ModelZoo getModelZoo() {
        return new DepthsweepModelZoo();
    }
}
