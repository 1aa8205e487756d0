package io.github.depthsweep.app;

import io.github.depthsweep.core.zoo.DepthsweepModelZoo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The trained model the app uses when no {@code --model} is given: residual-12 of depthsweep's DJL
 * model zoo ({@link DepthsweepModelZoo}, inside core's jar), the best residual model of the {@code
 * paper} run ({@code docs/results/paper/RUN.md} says which and why). The zoo copies it into DJL's
 * cache on first use; the commands then read it as any model folder.
 */
final class BundledModel {

    /** The zoo's filters that choose the app's model. */
    static final Map<String, String> FILTERS =
            Map.of("variant", "residual", "depth", "12", "seed", "0");

    private static Path folder;

    private BundledModel() {}

    /**
     * Returns the bundled model's folder, taking it from the zoo on first use.
     *
     * @return the model folder
     * @throws IOException if the zoo has no such model or it cannot be copied
     */
    static synchronized Path folder() throws IOException {
        if (folder == null) {
            folder = new DepthsweepModelZoo().getStageNetLoader().folder(FILTERS);
        }
        return folder;
    }

    /**
     * Returns whether a folder is the bundled model's, so that messages can name it as such.
     *
     * @param candidate a model folder
     * @return {@code true} for the folder {@link #folder()} returned
     */
    static synchronized boolean isBundled(Path candidate) {
        return candidate.equals(folder);
    }
}
