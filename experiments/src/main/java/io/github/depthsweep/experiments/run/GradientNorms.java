package io.github.depthsweep.experiments.run;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The L2 norm of the gradient of each trainable top-level part of a network, sampled during
 * training. For the seed's nets the parts are stages 1 to 4 and the head; vanishing or exploding
 * norms in the early stages are why deep plain nets stop learning.
 *
 * @param parts the parts' names: {@code stage1} ... {@code head}, or DJL's child names
 * @param steps the optimiser steps at which the norms were taken
 * @param norms one row per sampled step, one column per part
 */
public record GradientNorms(List<String> parts, List<Integer> steps, List<double[]> norms) {

    /**
     * Creates an empty record for a network's trainable top-level parts.
     *
     * @param network the network
     * @param staged whether its parts are four stages, then the head ({@code
     *     Architecture.hasStages})
     * @return the empty record
     */
    public static GradientNorms of(Block network, boolean staged) {
        List<String> parts = new ArrayList<>();
        List<String> names = network.getChildren().keys();
        for (int i = 0; i < names.size(); i++) {
            if (!staged) {
                if (trainable(network.getChildren().get(i).getValue())) {
                    parts.add(names.get(i));
                }
            } else {
                parts.add(i == names.size() - 1 ? "head" : "stage" + (i + 1));
            }
        }
        return new GradientNorms(parts, new ArrayList<>(), new ArrayList<>());
    }

    /**
     * Returns a network's trainable top-level parts, in the order of {@link #parts()}.
     *
     * @param network the network
     * @return its top-level blocks that have a trainable parameter
     */
    static List<Block> trainableParts(Block network) {
        return network.getChildren().values().stream().filter(GradientNorms::trainable).toList();
    }

    private static boolean trainable(Block part) {
        return part.getParameters().values().stream().anyMatch(Parameter::requiresGradient);
    }

    /**
     * Records the current gradients' norms. Call after backward and before the optimiser step.
     *
     * @param network the network being trained
     * @param step the optimiser step
     */
    public void sample(Block network, int step) {
        List<Block> children = trainableParts(network);
        double[] row = new double[children.size()];
        for (int i = 0; i < row.length; i++) {
            double squares = 0;
            for (Pair<String, Parameter> parameter : children.get(i).getParameters()) {
                NDArray array = parameter.getValue().getArray();
                if (!parameter.getValue().requiresGradient()) {
                    continue; // BatchNorm's moving statistics
                }
                try (NDArray gradient = array.getGradient();
                        NDArray norm = gradient.norm()) {
                    squares += Math.pow(norm.getFloat(), 2);
                }
            }
            row[i] = Math.sqrt(squares);
        }
        steps.add(step);
        norms.add(row);
    }
}
