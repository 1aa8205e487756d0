/**
 * depthsweep's core library: the Keras tutorial's plain and residual CNNs as DJL blocks ({@code
 * nn}), Fashion-MNIST as DJL datasets ({@code data}), the Keras tutorial's training protocol
 * ({@code training}), the saved-model format ({@code model}), inference on saved models with DJL's
 * {@code Criteria} and {@code Translator} ({@code inference}), the trained nets as a DJL model zoo
 * ({@code zoo}) and atomic file writes ({@code io}). It needs DJL's {@code api}, {@code
 * basicdataset} and {@code model-zoo}, and any DJL engine at run time.
 */
package io.github.depthsweep.core;
