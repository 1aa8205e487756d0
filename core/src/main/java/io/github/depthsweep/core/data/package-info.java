/**
 * MNIST-format datasets as DJL datasets: the registry {@link
 * io.github.depthsweep.core.data.Datasets} (Fashion-MNIST, the default; MNIST; KMNIST), each
 * dataset's facts in a {@link io.github.depthsweep.core.data.DatasetInfo}, and one reader for all,
 * {@link io.github.depthsweep.core.data.IdxDataset}, of the IDX files wherever {@link
 * io.github.depthsweep.core.data.IdxSource} finds them.
 */
package io.github.depthsweep.core.data;
