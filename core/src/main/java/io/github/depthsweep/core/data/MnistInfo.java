package io.github.depthsweep.core.data;

import java.util.List;

/**
 * LeCun's MNIST digits, classes {@code "0"} to {@code "9"}: from {@code --data DIR}, else DJL's own
 * download (the one {@code ai.djl.basicdataset.cv.classification.Mnist} uses) where online. Any
 * other MNIST-format folder whose labels are just numbers reads as this too.
 */
final class MnistInfo extends DatasetInfo {

    MnistInfo() {
        super(
                "mnist",
                "MNIST",
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                60_000,
                10_000);
    }

    @Override
    protected String djlArtifact() {
        return "mnist";
    }

    @Override
    protected String installHint() {
        return "Pass --data DIR: a folder with MNIST's four IDX files (train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,"
                + " t10k-labels-idx1-ubyte.gz, gzipped or not).";
    }
}
