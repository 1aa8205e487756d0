/**
 * The process-wide settings PyTorch's natives read as they load ({@link
 * io.github.depthsweep.core.engine.PyTorchEnvironment}), for any DJL program that trains or runs
 * the nets on the PyTorch engine.
 */
package io.github.depthsweep.core.engine;
