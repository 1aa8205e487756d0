package io.github.depthsweep.experiments.bench;

import java.util.Arrays;
import java.util.List;

/**
 * What a top-level operator of a training step is part of, by PyTorch's name for it: the forward
 * operator ({@code aten::conv2d}) or the autograd node that runs its backward pass ({@code
 * ConvolutionBackward0}). A profile grouped this way says how the 2x2 convolutions compare with the
 * padding, ReLU and BatchNorm around each of them, the operators an engine that fuses them (as
 * {@code torch.compile} does) runs in fewer passes over memory.
 */
enum OpKind {
    CONVOLUTION("convolution", "conv2d", "Convolution"),
    BATCH_NORM("BatchNorm", "batch_norm", "BatchNorm"),
    RELU("ReLU", "relu", "Relu"),
    PADDING("2x2 same padding", "aten::pad", "constant_pad_nd", "ConstantPadNd"),
    MAX_POOL("max-pool", "max_pool", "MaxPool"),
    /** Adam's update, the loss, dropout, the dense layer. */
    OTHER("other");

    private final String label;
    private final List<String> nameParts;

    OpKind(String label, String... nameParts) {
        this.label = label;
        this.nameParts = Arrays.asList(nameParts);
    }

    /**
     * Returns the kind's name in a table.
     *
     * @return e.g. {@code BatchNorm}
     */
    String label() {
        return label;
    }

    /**
     * Returns the kind of an operator.
     *
     * @param name the operator's name in the trace, e.g. {@code aten::batch_norm} or {@code
     *     autograd::engine::evaluate_function: NativeBatchNormBackward0}
     * @return its kind; {@link #OTHER} if no other kind names it
     */
    static OpKind of(String name) {
        for (OpKind kind : values()) {
            if (kind.nameParts.stream().anyMatch(name::contains)) {
                return kind;
            }
        }
        return OTHER;
    }
}
