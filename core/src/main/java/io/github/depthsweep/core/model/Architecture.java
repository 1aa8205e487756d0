package io.github.depthsweep.core.model;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.depthsweep.core.data.DatasetInfo;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.nn.StagePlan;
import io.github.depthsweep.core.nn.Variant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The networks depthsweep trains and saves: the Keras tutorial's plain and residual nets, and DJL's
 * own {@link ResNetV1} (He et al.'s units, two 3x3 convs per skip) for comparison. Saved models
 * name their architecture, so any of them can be rebuilt from its metadata.
 */
public enum Architecture {
    /** The Keras tutorial's plain net, {@link StageNet} with {@link Variant#PLAIN}. */
    PLAIN,
    /**
     * The Keras tutorial's residual net, one skip per stage: {@link StageNet} with {@link
     * Variant#RESIDUAL}.
     */
    RESIDUAL,
    /**
     * DJL's model-zoo {@link ResNetV1} for 28x28 input: depths 6n+2 (8, 14, 20, 32, 44, 50, 56...).
     */
    RESNETV1;

    /** The shape of one input image, channels first: (1, 28, 28), every MNIST-format dataset's. */
    public static final Shape IMAGE_SHAPE = DatasetInfo.IMAGE_SHAPE;

    /**
     * Returns the architecture with the given name, ignoring case.
     *
     * @param name {@code plain}, {@code residual} or {@code resnetv1}
     * @return the architecture
     * @throws IllegalArgumentException if no architecture has that name; the message lists them
     */
    public static Architecture parse(String name) {
        for (Architecture architecture : values()) {
            if (architecture.label().equalsIgnoreCase(name.trim())) {
                return architecture;
            }
        }
        throw new IllegalArgumentException(
                "Unknown variant '" + name + "': use one of " + allowed() + ".");
    }

    /**
     * Returns the names {@link #parse} accepts, comma-separated.
     *
     * @return the names
     */
    public static String allowed() {
        return Arrays.stream(values()).map(Architecture::label).collect(Collectors.joining(", "));
    }

    /**
     * Returns the lower-case name used in model names, files and flags.
     *
     * @return the name, e.g. {@code residual}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns a model's name: {@code plain-12}, {@code resnetv1-20}.
     *
     * @param depth the depth
     * @return the name
     */
    public String modelName(int depth) {
        return label() + "-" + depth;
    }

    /**
     * Returns whether the network is four stages and then a head, its top-level blocks in that
     * order, as the plain and residual nets are; DJL's ResNetV1 is not.
     *
     * @return true for {@link #PLAIN} and {@link #RESIDUAL}
     */
    public boolean hasStages() {
        return this != RESNETV1;
    }

    /**
     * Checks that this architecture can be built at a depth.
     *
     * @param depth the depth
     * @throws IllegalArgumentException if it cannot; the message says which depths it can
     */
    public void checkDepth(int depth) {
        StagePlan.checkNotTooDeep(depth);
        if (hasStages()) {
            StagePlan.forDepth(depth);
        } else if (depth < 8 || (depth - 2) % 6 != 0 || depth >= 164) {
            throw new IllegalArgumentException(
                    "resnetv1 cannot be built with depth "
                            + depth
                            + ": for 28x28 images DJL's ResNetV1 takes 6n+2 layers below 164"
                            + " (8, 14, 20, 26, 32, 38, 44, 50, 56, ...).");
        }
    }

    /**
     * Counts the parameters of the network without building it: the values a saved model's
     * parameters file holds, so that a file can be checked before a net is built for it.
     *
     * @param depth the depth
     * @param classes the number of classes
     * @return the number of values in all its parameters, BatchNorm's moving statistics included
     * @throws IllegalArgumentException if the depth is not one this architecture takes
     */
    public long parameterCount(int depth, int classes) {
        checkDepth(depth);
        if (hasStages()) {
            return StageNet.parameterCount(Variant.valueOf(name()), depth, classes);
        }
        // DJL's ResNetV1 below 32 pixels: a 3x3 stem of 16, then three stages of (depth - 2) / 6
        // units of 16, 32 and 64 filters; each unit two 3x3 convolutions without bias, each with
        // BatchNorm, and the first unit of a stage a 1x1 projection with BatchNorm too.
        long units = (depth - 2) / 6;
        long in = IMAGE_SHAPE.get(0);
        long count = 9 * in * 16;
        in = 16;
        for (long width : new long[] {16, 32, 64}) {
            long first = 9 * in * width + 9 * width * width + in * width + 3 * 4 * width;
            long next = 2 * 9 * width * width + 2 * 4 * width;
            count += first + (units - 1) * next;
            in = width;
        }
        return count + in * classes + classes;
    }

    /**
     * Returns the architecture whose network at some depth has a parameter count, for messages
     * about a file that holds another net's parameters.
     *
     * @param count a parameter count
     * @param classes the number of classes
     * @return the model's name, e.g. {@code residual-12}, or empty if no net has that count
     */
    public static Optional<String> withParameterCount(long count, int classes) {
        for (Architecture architecture : values()) {
            for (int depth = StagePlan.MIN_DEPTH; depth <= StagePlan.MAX_DEPTH; depth++) {
                if (architecture.canBuild(depth)
                        && architecture.parameterCount(depth, classes) == count) {
                    return Optional.of(architecture.modelName(depth));
                }
            }
        }
        return Optional.empty();
    }

    private boolean canBuild(int depth) {
        try {
            checkDepth(depth);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Builds the network, uninitialized, for Fashion-MNIST's 28x28 grayscale images.
     *
     * @param depth the depth
     * @param classes the number of classes
     * @return the block; it outputs logits
     * @throws IllegalArgumentException if the depth is not one this architecture takes
     */
    public Block build(int depth, int classes) {
        checkDepth(depth);
        switch (this) {
            case RESNETV1:
                return ResNetV1.builder()
                        .setImageShape(IMAGE_SHAPE)
                        .setNumLayers(depth)
                        .setOutSize(classes)
                        .build();
            case PLAIN:
            case RESIDUAL:
            default:
                return StageNet.builder()
                        .setVariant(Variant.valueOf(name()))
                        .setDepth(depth)
                        .optClasses(classes)
                        .build();
        }
    }
}
