package io.github.depthsweep.experiments.run;

import io.github.depthsweep.core.model.Architecture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a finished (or failed) cell recorded; written as {@code cells/ID.json}.
 *
 * @param id the cell's id, e.g. {@code plain-50-seed0}
 * @param variant the architecture's name
 * @param depth the depth
 * @param seed the seed
 * @param status {@value #FINISHED} or {@value #FAILED}
 * @param failure why it failed, or null
 * @param protocol the training settings
 * @param parameters the parameter count, as Keras counts it
 * @param device the device it trained on
 * @param epochs one entry per epoch run
 * @param finalTestAccuracy the last epoch's test accuracy (statistics as trained)
 * @param bestTestAccuracy the best epoch's test accuracy (statistics as trained)
 * @param bestEpoch the epoch of {@code bestTestAccuracy}
 * @param finalPreciseBnAccuracy the last epoch's precise-BN test accuracy, or null
 * @param bestPreciseBnAccuracy the best precise-BN test accuracy, or null
 * @param trainSeconds seconds spent training, all epochs
 * @param gradientNorms the per-part gradient norms over training
 * @param model the saved model's folder, relative to the run folder, or null
 * @param stepLosses the training loss of every step, in order
 * @param sessions the processes that trained the cell: more than one where it was resumed from a
 *     checkpoint, each with the machine it ran on and the steps it trained
 * @param weightHistograms the weights' histograms at the end of each epoch; null in results written
 *     before they were kept
 */
public record CellResult(
        String id,
        String variant,
        int depth,
        int seed,
        String status,
        String failure,
        Protocol protocol,
        long parameters,
        String device,
        List<EpochResult> epochs,
        Double finalTestAccuracy,
        Double bestTestAccuracy,
        Integer bestEpoch,
        Double finalPreciseBnAccuracy,
        Double bestPreciseBnAccuracy,
        double trainSeconds,
        GradientNorms gradientNorms,
        String model,
        List<Float> stepLosses,
        List<CellProgress.Session> sessions,
        List<WeightHistograms> weightHistograms)
        implements CellHistory {

    /**
     * Returns the weights' histograms at the end of each epoch.
     *
     * @return the histograms; empty in results written before they were kept
     */
    @Override
    public List<WeightHistograms> weightHistograms() {
        return weightHistograms == null ? List.of() : weightHistograms;
    }

    /** The cell trained all its epochs. */
    public static final String FINISHED = "finished";

    /** The cell stopped early: see {@link #failure()}. */
    public static final String FAILED = "failed";

    /**
     * Says what makes this record unusable in a run folder, or null if nothing does: a record read
     * back from a file may be empty, another cell's, another protocol's, or damaged.
     *
     * @param expectedId the cell its file name says
     * @param expectedProtocol the folder's protocol, or null where there is none to compare with
     * @return the reason, e.g. {@code it is cell plain-12-seed0's, not plain-20-seed0's}, or null
     */
    public String problem(String expectedId, Protocol expectedProtocol) {
        if (id == null || variant == null || status == null || protocol == null || epochs == null) {
            return "it lacks its id, variant, status, protocol or epochs";
        }
        if (!id.equals(expectedId)) {
            return "it is cell " + id + "'s, not " + expectedId + "'s";
        }
        String named;
        try {
            named = new Cell(Architecture.parse(variant), depth, seed).id();
        } catch (IllegalArgumentException e) {
            return "its variant '" + variant + "' is unknown";
        }
        if (!named.equals(id)) {
            return "its variant, depth and seed make " + named + ", not " + id;
        }
        if (expectedProtocol != null && !expectedProtocol.equals(protocol)) {
            return "it was trained under other settings (" + protocol.describe() + ")";
        }
        if (!FINISHED.equals(status) && !FAILED.equals(status)) {
            return "its status '" + status + "' is neither " + FINISHED + " nor " + FAILED;
        }
        if (finished() && epochs.size() != protocol.epochs()) {
            return "it is finished with " + epochs.size() + " of " + protocol.epochs() + " epochs";
        }
        if (finished() && !isAccuracy(finalTestAccuracy)) {
            return "its final test accuracy is " + finalTestAccuracy;
        }
        for (EpochResult epoch : epochs) {
            if (epoch == null
                    || !isAccuracy(epoch.testAccuracy())
                    || (epoch.preciseBnTestAccuracy() != null
                            && !isAccuracy(epoch.preciseBnTestAccuracy()))) {
                return "an epoch's test accuracy is missing or not between 0 and 1";
            }
        }
        return null;
    }

    private static boolean isAccuracy(Double value) {
        return value != null && value >= 0 && value <= 1; // false for NaN
    }

    /**
     * Returns whether the cell trained all its epochs.
     *
     * @return true if finished
     */
    public boolean finished() {
        return FINISHED.equals(status);
    }

    /**
     * Returns the accuracy that tables and plots lead with: the final precise-BN accuracy where it
     * was measured (short runs are judged by it), else the final as-trained accuracy.
     *
     * @return the accuracy, or null for a failed cell
     */
    public Double headlineAccuracy() {
        return finalPreciseBnAccuracy != null ? finalPreciseBnAccuracy : finalTestAccuracy;
    }

    /**
     * Returns the wall-clock time the cell took: the sum of its sessions', each from its start to
     * its last save, so evaluation and pauses count, steps lost with a killed process do not.
     *
     * @return the time, or empty where a session did not record its end (older records)
     */
    public Optional<Duration> wallTime() {
        if (sessions == null || sessions.isEmpty()) {
            return Optional.empty();
        }
        Duration sum = Duration.ZERO;
        for (CellProgress.Session session : sessions) {
            Optional<Duration> time = session.wallTime();
            if (time.isEmpty()) {
                return Optional.empty();
            }
            sum = sum.plus(time.get());
        }
        return Optional.of(sum);
    }
}
