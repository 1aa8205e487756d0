package io.github.depthsweep.core.inference;

/**
 * Whether to invert an image's brightness before classifying it. The MNIST family's items (clothes,
 * digits, characters) are light on a black background, while most photos and drawings are dark on a
 * light one.
 */
public enum Invert {
    /** Invert when the image's border is light: mean brightness above {@value #LIGHT_BORDER}. */
    AUTO,
    /** Always invert. */
    YES,
    /** Never invert. */
    NO;

    /** The mean border brightness, on a scale of 0 to 1, above which {@link #AUTO} inverts. */
    public static final float LIGHT_BORDER = 0.5f;

    /**
     * Decides whether to invert an image with a given border brightness.
     *
     * @param borderBrightness the mean brightness of the image's outermost pixels, 0 to 1
     * @return {@code true} to invert
     */
    public boolean appliesTo(float borderBrightness) {
        switch (this) {
            case YES:
                return true;
            case NO:
                return false;
            case AUTO:
            default:
                return borderBrightness > LIGHT_BORDER;
        }
    }
}
