package io.github.depthsweep.app;

import picocli.CommandLine.Option;

/** The {@code --batch-size} option of the commands that classify in batches. */
final class BatchSizeOption {

    @Option(
            names = "--batch-size",
            defaultValue = "64",
            paramLabel = "N",
            description =
                    "Images per forward pass (default: ${DEFAULT-VALUE}); memory grows with it,"
                            + " by under 1 MB an image.")
    private int batchSize;

    /**
     * Returns the images per forward pass the user asked for; each command checks it.
     *
     * @return the batch size
     */
    int value() {
        return batchSize;
    }
}
