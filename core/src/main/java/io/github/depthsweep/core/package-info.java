/**
 * depthsweep's core library: the seed's plain and residual CNNs as DJL blocks ({@code nn}),
 * Fashion-MNIST as DJL datasets ({@code data}), and the seed's training protocol ({@code
 * training}). It needs DJL's {@code api} and {@code basicdataset} and any DJL engine at run time.
 */
package io.github.depthsweep.core;
