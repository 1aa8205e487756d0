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
