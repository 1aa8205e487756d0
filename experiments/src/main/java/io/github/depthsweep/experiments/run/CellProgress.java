package io.github.depthsweep.experiments.run;

import io.github.depthsweep.experiments.system.Machine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far an unfinished cell has come: the metadata of its checkpoint, beside the network's and
 * optimizer's state. With it, a resumed cell continues its records (epochs, losses, gradient norms,
 * timings) as if it had never stopped.
 *
 * @param cell the cell's id
 * @param protocol the settings it trains under
 * @param step the optimizer steps done
 * @param epochsDone the epochs finished and evaluated
 * @param partial the running sums of the epoch in progress, or null at an epoch's end
 * @param epochs the finished epochs' results
 * @param stepLosses the training loss of every step so far
 * @param gradientNorms the gradient norms sampled so far
 * @param sessions every process that trained this cell, the last one this
 * @param weightHistograms the weights' histograms at the end of each epoch; null in checkpoints
 *     written before they were kept
 */
public record CellProgress(
        String cell,
        Protocol protocol,
        int step,
        int epochsDone,
        EpochSoFar partial,
        List<EpochResult> epochs,
        List<Float> stepLosses,
        GradientNorms gradientNorms,
        List<Session> sessions,
        List<WeightHistograms> weightHistograms)
        implements CellHistory {

    /**
     * Reads a checkpoint's record: one written before histograms were kept has none.
     *
     * @param cell the cell's id
     * @param protocol the settings it trains under
     * @param step the optimizer steps done
     * @param epochsDone the epochs finished and evaluated
     * @param partial the running sums of the epoch in progress, or null at an epoch's end
     * @param epochs the finished epochs' results
     * @param stepLosses the training loss of every step so far
     * @param gradientNorms the gradient norms sampled so far
     * @param sessions every process that trained this cell, the last one this
     * @param weightHistograms the weights' histograms at the end of each epoch, or null
     */
    public CellProgress {
        weightHistograms = weightHistograms == null ? List.of() : weightHistograms;
    }

    /**
     * The running sums of an epoch in progress.
     *
     * @param lossSum the sum of the steps' losses, each weighted by its batch's images
     * @param correct the images classified right during training
     * @param images the images trained on
     * @param seconds the seconds spent training
     */
    public record EpochSoFar(double lossSum, long correct, long images, double seconds) {}

    /**
     * One process's share of a cell: where it ran and which steps it trained.
     *
     * @param started when it started, ISO 8601 UTC
     * @param ended when it last saved the cell (a checkpoint, or the end), ISO 8601 UTC; null in
     *     records written before sessions had it
     * @param fromStep the step it started from (0, or a checkpoint's)
     * @param toStep the step it had reached at its last checkpoint or at the end
     * @param machine the machine it ran on
     * @param device the device it trained on
     */
    public record Session(
            String started,
            String ended,
            int fromStep,
            int toStep,
            Machine machine,
            String device) {

        /**
         * The wall-clock time from its start to its last save: everything it did for the cell,
         * evaluation and pauses included, but not steps it trained after its last checkpoint.
         *
         * @return the time, or empty where it was not recorded
         */
        public Optional<Duration> wallTime() {
            return ended == null
                    ? Optional.empty()
                    : Optional.of(Duration.between(Instant.parse(started), Instant.parse(ended)));
        }
    }
}
