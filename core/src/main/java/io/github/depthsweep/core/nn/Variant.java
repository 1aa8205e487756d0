package io.github.depthsweep.core.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which of the seed's two networks to build: without or with a skip connection per stage. */
public enum Variant {
    /** Stacked conv-bn units, no skip connections. */
    PLAIN,
    /** The same units with one skip connection around each stage. */
    RESIDUAL;

    /**
     * Returns the variant with the given name, ignoring case ({@code "plain"}, {@code "residual"}).
     *
     * @param name the variant's name
     * @return the variant
     * @throws IllegalArgumentException if no variant has that name; the message lists the names
     */
    public static Variant parse(String name) {
        for (Variant variant : values()) {
            if (variant.label().equalsIgnoreCase(name.trim())) {
                return variant;
            }
        }
        throw new IllegalArgumentException(
                "Unknown variant '" + name + "': use one of " + allowed() + ".");
    }

    /**
     * Returns the lower-case name used in model names, files and flags.
     *
     * @return {@code "plain"} or {@code "residual"}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the names that {@link #parse(String)} accepts, comma-separated.
     *
     * @return the accepted names
     */
    public static String allowed() {
        return Arrays.stream(values()).map(Variant::label).collect(Collectors.joining(", "));
    }
}
