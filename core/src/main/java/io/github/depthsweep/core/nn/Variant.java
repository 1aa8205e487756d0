package io.github.depthsweep.core.nn;

import java.util.Locale;

/**
 * Which of the Keras tutorial's two networks to build: without or with a skip connection per stage.
 * To parse a name from the user, see {@code io.github.depthsweep.core.model.Architecture}.
 */
public enum Variant {
    /** Stacked conv-bn units, no skip connections. */
    PLAIN,
    /** The same units with one skip connection around each stage. */
    RESIDUAL;

    /**
     * Returns the lower-case name used in model names, files and flags.
     *
     * @return {@code "plain"} or {@code "residual"}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
