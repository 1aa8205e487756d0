package io.github.depthsweep.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OpKindTest {

    @Test
    void namesTheForwardOperatorAndItsBackwardNode() {
        // the names of a plain-12 trace from PyTorch 2.7.1's profiler through DJL
        String backward = "autograd::engine::evaluate_function: ";
        assertEquals(OpKind.CONVOLUTION, OpKind.of("aten::conv2d"));
        assertEquals(OpKind.CONVOLUTION, OpKind.of(backward + "ConvolutionBackward0"));
        assertEquals(OpKind.BATCH_NORM, OpKind.of("aten::batch_norm"));
        assertEquals(OpKind.BATCH_NORM, OpKind.of(backward + "NativeBatchNormBackward0"));
        assertEquals(OpKind.RELU, OpKind.of("aten::relu"));
        assertEquals(OpKind.RELU, OpKind.of(backward + "ReluBackward0"));
        assertEquals(OpKind.PADDING, OpKind.of("aten::pad"));
        assertEquals(OpKind.PADDING, OpKind.of(backward + "ConstantPadNdBackward0"));
        assertEquals(OpKind.MAX_POOL, OpKind.of("aten::max_pool2d"));
        assertEquals(OpKind.MAX_POOL, OpKind.of(backward + "MaxPool2DWithIndicesBackward0"));
        // Adam's update, the loss, the dense layer
        assertEquals(OpKind.OTHER, OpKind.of("aten::addcmul_"));
        assertEquals(OpKind.OTHER, OpKind.of("aten::log_softmax"));
        assertEquals(OpKind.OTHER, OpKind.of(backward + "AddmmBackward0"));
        assertEquals(OpKind.OTHER, OpKind.of(backward + "torch::autograd::AccumulateGrad"));
    }
}
