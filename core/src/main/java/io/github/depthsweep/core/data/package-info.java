/**
 * Real Fashion-MNIST as DJL datasets: {@link io.github.depthsweep.core.data.FashionMnistDataset},
 * read from Zalando's IDX files wherever {@link io.github.depthsweep.core.data.FashionMnistSource}
 * finds them.
 */
package io.github.depthsweep.core.data;
