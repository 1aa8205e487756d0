package io.github.depthsweep.experiments.run;

/**
 * What one epoch of a cell measured.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss mean training loss over the epoch's steps
 * @param trainAccuracy training accuracy over the epoch's steps (train-mode forward passes)
 * @param testLoss test loss in inference mode, BatchNorm statistics as trained
 * @param testAccuracy test accuracy in inference mode, BatchNorm statistics as trained: the seed's
 *     measure
 * @param preciseBnTestAccuracy test accuracy after precise BN, or null if not measured
 * @param trainSeconds seconds spent on the epoch's training steps
 * @param trainImagesPerSecond training throughput
 * @param residentMb the process's resident memory after the epoch, or null where unknown
 * @param peakResidentMb the process's peak resident memory so far, or null where unknown (and in
 *     results written before it was recorded)
 */
public record EpochResult(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double testLoss,
        double testAccuracy,
        Double preciseBnTestAccuracy,
        double trainSeconds,
        double trainImagesPerSecond,
        Double residentMb,
        Double peakResidentMb) {}
