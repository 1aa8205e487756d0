package io.github.depthsweep.core.data;

import java.util.List;

/**
 * Kuzushiji-MNIST (ROIS-DS CODH): ten cursive hiragana in MNIST's format, named by their
 * romanisation. DJL has no copy: the files come from {@code --data DIR} only.
 */
final class KmnistInfo extends DatasetInfo {

    KmnistInfo() {
        super(
                "kmnist",
                "KMNIST",
                List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
                60_000,
                10_000);
    }

    @Override
    protected String installHint() {
        return "Download its four IDX files (train-images-idx3-ubyte.gz and the others) from"
                + " https://github.com/rois-codh/kmnist and pass their folder with --data DIR.";
    }
}
