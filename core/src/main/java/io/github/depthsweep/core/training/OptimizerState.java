package io.github.depthsweep.core.training;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * One parameter's optimizer state, as a {@link TrainingCheckpoint} holds it: arrays shaped as the
 * weight, by name (Adam's {@code mean} and {@code variance}, SGD's {@code momentum}), and the
 * updates applied so far. It is the per-parameter part of PyTorch's {@code optimizer.state_dict()}:
 * with it any optimizer can be checkpointed the same way.
 *
 * @param updates the updates applied so far: the next one is {@code updates + 1}
 * @param arrays the state's arrays by name, in a fixed order
 */
public record OptimizerState(int updates, Map<String, NDArray> arrays) {}
