package io.github.depthsweep.core.nn;

import java.util.Arrays;

/**
 * How many 2x2 convolutions each of the four stages gets for a network of a given depth.
 *
 * <p>Each stage gets {@code depth / 4}; when the depth is not a multiple of 4 the first {@code
 * depth % 4} stages get one more. The Keras tutorial's depths give 12 = 3+3+3+3, 20 = 5+5+5+5, 32 =
 * 8+8+8+8 and 50 = 13+13+12+12.
 */
public final class StagePlan {

    /** The smallest depth: one convolution per stage. */
    public static final int MIN_DEPTH = 4;

    /**
     * The largest depth depthsweep builds, for every architecture: 1,202, the depth of He et al.'s
     * deepest CIFAR ResNet, far beyond the seed's 50 and DJL ResNetV1's 158. The sweep's {@code
     * --depths} and every saved model's depth are held to it, so that no depth a flag or a file
     * names can build a net too large for memory.
     */
    public static final int MAX_DEPTH = 1202;

    /** The filter count of each stage. */
    static final int[] WIDTHS = {32, 64, 128, 256};

    private final int depth;
    private final int[] convolutions;

    private StagePlan(int depth, int[] convolutions) {
        this.depth = depth;
        this.convolutions = convolutions;
    }

    /**
     * Returns the plan for a network with {@code depth} 2x2 convolutions.
     *
     * @param depth the number of 2x2 convolutions, {@value #MIN_DEPTH} to {@value #MAX_DEPTH}
     * @return the plan
     * @throws IllegalArgumentException if {@code depth} is below {@value #MIN_DEPTH} or above
     *     {@value #MAX_DEPTH}
     */
    public static StagePlan forDepth(int depth) {
        checkNotTooDeep(depth);
        if (depth < MIN_DEPTH) {
            throw new IllegalArgumentException(
                    "Depth "
                            + depth
                            + " is too small: a network needs at least one convolution in each of"
                            + " its 4 stages, so the depth must be "
                            + MIN_DEPTH
                            + " or more (the seed uses 12, 20, 32 and 50).");
        }
        int[] convolutions = new int[WIDTHS.length];
        for (int stage = 0; stage < convolutions.length; stage++) {
            convolutions[stage] = depth / WIDTHS.length + (stage < depth % WIDTHS.length ? 1 : 0);
        }
        return new StagePlan(depth, convolutions);
    }

    /**
     * Checks a depth against {@link #MAX_DEPTH}, the bound of every architecture.
     *
     * @param depth a depth
     * @throws IllegalArgumentException if it is above {@value #MAX_DEPTH}
     */
    public static void checkNotTooDeep(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "Depth "
                            + depth
                            + " is too large: depthsweep builds nets of "
                            + MIN_DEPTH
                            + " to "
                            + MAX_DEPTH
                            + " layers (the seed uses 12, 20, 32 and 50).");
        }
    }

    /**
     * Returns the total number of 2x2 convolutions.
     *
     * @return the depth
     */
    public int depth() {
        return depth;
    }

    /**
     * Returns the number of stages (always 4).
     *
     * @return the number of stages
     */
    public int stages() {
        return convolutions.length;
    }

    /**
     * Returns the number of 2x2 convolutions in a stage.
     *
     * @param stage the stage, from 0
     * @return its convolution count
     */
    public int convolutions(int stage) {
        return convolutions[stage];
    }

    /**
     * Returns the number of filters of every convolution in a stage.
     *
     * @param stage the stage, from 0
     * @return its width: 32, 64, 128 or 256
     */
    public int width(int stage) {
        return WIDTHS[stage];
    }

    /**
     * Returns the convolution counts per stage, as in {@code [13, 13, 12, 12]}.
     *
     * @return a copy of the counts
     */
    public int[] toArray() {
        return convolutions.clone();
    }

    /**
     * Returns the plan as the seed writes it, for example {@code 13+13+12+12}.
     *
     * @return the plan as a sum
     */
    @Override
    public String toString() {
        return Arrays.stream(convolutions)
                .mapToObj(Integer::toString)
                .reduce((a, b) -> a + "+" + b)
                .orElse("");
    }
}
