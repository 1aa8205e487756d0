package io.github.depthsweep.experiments.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.experiments.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the seed's own Keras code, {@code experiments/peer/peer_keras.py train}, as its folder
 * holds it: {@value #EPOCHS_FILE} after every epoch and {@value #RESULT_FILE} once it has trained
 * all its epochs. {@value #EPOCHS_FILE} does not name the cell, so the folder does: {@code
 * VARIANT-DEPTH-seedS}, as depthsweep names its cells.
 *
 * @param folder the run's folder
 * @param variant {@code plain} or {@code residual}, from the folder's name
 * @param depth the depth, from the folder's name
 * @param seed the seed, from the folder's name
 * @param epochs the epochs recorded so far, in order: epoch 1 to the last one
 * @param result what {@value #RESULT_FILE} says, or null while the run trains
 */
public record KerasRun(
        Path folder, String variant, int depth, int seed, List<Epoch> epochs, Result result) {

    /** The file the run appends each epoch's figures to. */
    public static final String EPOCHS_FILE = "epochs.json";

    /** The file the run writes at its end. */
    public static final String RESULT_FILE = "result.json";

    /** How a run's folder is named: the variants {@code peer_keras.py} trains, a depth, a seed. */
    private static final Pattern NAME =
            Pattern.compile("(plain|residual)-([1-9][0-9]{0,2})-seed(0|[1-9][0-9]{0,8})");

    /** The least depth {@code peer_keras.py} takes: one convolution per stage. */
    private static final int MIN_DEPTH = 4;

    /**
     * One epoch of {@value #EPOCHS_FILE}; its other figures (the training loss and accuracy, the
     * test loss, the steps, the seconds) are not compared here.
     *
     * @param epoch the epoch, from 1
     * @param testAccuracy the test accuracy after it, 0 to 1
     */
    public record Epoch(
            @JsonProperty("epoch") Integer epoch,
            @JsonProperty("test_accuracy") Double testAccuracy) {}

    /**
     * What {@value #RESULT_FILE} says; its parameter count and best accuracy are not compared here.
     *
     * @param peer the framework, {@code keras}
     * @param versions e.g. {@code keras 3.13.2/tf 2.21.0}
     * @param variant the variant it trained
     * @param depth the depth it trained
     * @param seed the seed it trained with
     * @param epochs how many epochs it trained
     * @param finalTestAccuracy the last epoch's test accuracy
     * @param seconds the epochs' seconds, summed
     * @param machine the CPU it trained on, e.g. {@code Intel(R) Xeon(R) Processor (family 6 model
     *     167), 2 cores}; null in a file written before the field was
     * @param finished when it ended, UTC, e.g. {@code 2026-12-07T01:02:03Z}; null likewise
     */
    public record Result(
            @JsonProperty("peer") String peer,
            @JsonProperty("versions") String versions,
            @JsonProperty("variant") String variant,
            @JsonProperty("depth") Integer depth,
            @JsonProperty("seed") Integer seed,
            @JsonProperty("epochs") Integer epochs,
            @JsonProperty("final_test_accuracy") Double finalTestAccuracy,
            @JsonProperty("seconds") Double seconds,
            @JsonProperty("machine") String machine,
            @JsonProperty("finished") String finished) {}

    /**
     * Reads a Keras run's folder and checks it against the protocol it is compared under.
     *
     * @param folder the folder, named {@code VARIANT-DEPTH-seedS}
     * @param protocolEpochs the protocol's epoch count: a finished run must have trained exactly
     *     these, a run in progress no more
     * @return the run, finished or still training
     * @throws BadInputException if the folder is not named as a cell, does not exist, lacks {@value
     *     #EPOCHS_FILE}, holds a damaged or contradictory file, or trained another number of
     *     epochs; the message says what to do
     * @throws IOException if a file cannot be read
     */
    public static KerasRun read(Path folder, int protocolEpochs) throws IOException {
        Path name = folder.toAbsolutePath().normalize().getFileName();
        Matcher matcher = NAME.matcher(name == null ? "" : name.toString());
        if (!matcher.matches()) {
            throw new BadInputException(
                    folder
                            + " is not named as a Keras run (VARIANT-DEPTH-seedS, e.g."
                            + " plain-50-seed0): name each run's folder after its cell, or leave"
                            + " it out.");
        }
        String variant = matcher.group(1);
        int depth = Integer.parseInt(matcher.group(2));
        int seed = Integer.parseInt(matcher.group(3));
        if (depth < MIN_DEPTH) {
            throw new BadInputException(
                    folder
                            + " names depth "
                            + depth
                            + ", but peer_keras.py trains depth "
                            + MIN_DEPTH
                            + " or more: rename the folder after the run's cell, or leave it out.");
        }
        if (!Files.isDirectory(folder)) {
            throw new BadInputException(
                    folder
                            + (Files.exists(folder) ? " is not a folder" : " does not exist")
                            + ": give the folders that peer_keras.py train --out wrote.");
        }
        Path epochsFile = folder.resolve(EPOCHS_FILE);
        if (!Files.isRegularFile(epochsFile)) {
            throw new BadInputException(
                    folder
                            + " has no "
                            + EPOCHS_FILE
                            + ": it is not a Keras run's folder, or its first epoch has not ended"
                            + " yet; leave it out until it has.");
        }
        List<Epoch> epochs =
                readJson(
                        epochsFile,
                        RunFolder.JSON
                                .getTypeFactory()
                                .constructCollectionType(List.class, Epoch.class));
        String problem = problem(epochs);
        if (problem != null) {
            throw damaged(epochsFile, problem);
        }
        epochs = new ArrayList<>(epochs);
        epochs.sort(Comparator.comparingInt(Epoch::epoch));
        Path resultFile = folder.resolve(RESULT_FILE);
        Result result = null;
        if (Files.exists(resultFile)) {
            result = readJson(resultFile, RunFolder.JSON.constructType(Result.class));
            problem = problem(result, variant, depth, seed, epochs);
            if (problem != null) {
                throw damaged(resultFile, problem);
            }
            epochs = List.copyOf(epochs.subList(0, result.epochs()));
        }
        KerasRun run = new KerasRun(folder, variant, depth, seed, List.copyOf(epochs), result);
        int trained = run.finished() ? result.epochs() : epochs.size();
        if (run.finished() ? trained != protocolEpochs : trained > protocolEpochs) {
            throw new BadInputException(
                    folder
                            + (run.finished() ? " finished after " : " has trained ")
                            + trained
                            + " epochs, but the protocol compared against has "
                            + protocolEpochs
                            + (trained < protocolEpochs
                                    ? ": train it on with --epochs "
                                            + protocolEpochs
                                            + " (it resumes from its backup), or leave it out."
                                    : ": leave it out, or train a run of "
                                            + protocolEpochs
                                            + " epochs into a new folder."));
        }
        return run;
    }

    /** Parses a file, or says in one line that it is damaged. */
    private static <T> T readJson(Path file, JavaType type) throws IOException {
        try {
            T value = RunFolder.JSON.readValue(file.toFile(), type);
            if (value == null) {
                throw damaged(file, "it holds null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw damaged(
                    file, "it is not the JSON peer_keras.py writes: " + e.getOriginalMessage());
        }
    }

    private static BadInputException damaged(Path file, String problem) {
        return new BadInputException(
                file
                        + " is damaged ("
                        + problem
                        + "): leave the run out, or train it again into a new folder.");
    }

    /** What is wrong with a run's epochs: they must be epochs 1 to k, each with an accuracy. */
    private static String problem(List<Epoch> epochs) {
        boolean[] seen = new boolean[epochs.size() + 1];
        for (Epoch epoch : epochs) {
            if (epoch == null || epoch.epoch() == null || !isAccuracy(epoch.testAccuracy())) {
                return "an epoch lacks its number, or its test accuracy is not between 0 and 1";
            }
            if (epoch.epoch() < 1 || epoch.epoch() > epochs.size() || seen[epoch.epoch()]) {
                return "its epochs are not 1 to " + epochs.size() + ", each once";
            }
            seen[epoch.epoch()] = true;
        }
        return null;
    }

    /** What makes a result contradict the folder's name or its epochs. */
    private static String problem(
            Result result, String variant, int depth, int seed, List<Epoch> epochs) {
        if (!"keras".equals(result.peer())) {
            return "its peer is '" + result.peer() + "', not 'keras'";
        }
        if (!variant.equals(result.variant())
                || result.depth() == null
                || result.depth() != depth
                || result.seed() == null
                || result.seed() != seed) {
            return "it is the result of "
                    + result.variant()
                    + "-"
                    + result.depth()
                    + "-seed"
                    + result.seed()
                    + ", not of "
                    + variant
                    + "-"
                    + depth
                    + "-seed"
                    + seed
                    + " as the folder's name says";
        }
        if (result.epochs() == null
                || result.epochs() < 1
                || result.epochs() > epochs.size()
                || !isAccuracy(result.finalTestAccuracy())) {
            return "its epochs or final test accuracy are missing, or more than "
                    + EPOCHS_FILE
                    + " holds";
        }
        double last = epochs.get(result.epochs() - 1).testAccuracy();
        if (Math.abs(last - result.finalTestAccuracy()) > 1e-9) {
            return "its final test accuracy "
                    + result.finalTestAccuracy()
                    + " is not epoch "
                    + result.epochs()
                    + "'s "
                    + last
                    + " in "
                    + EPOCHS_FILE;
        }
        return null;
    }

    private static boolean isAccuracy(Double value) {
        return value != null && value >= 0 && value <= 1; // false for NaN
    }

    /**
     * Returns whether the run has trained all its epochs: it wrote {@value #RESULT_FILE}.
     *
     * @return true if finished
     */
    public boolean finished() {
        return result != null;
    }

    /**
     * Returns the cell it trained, as depthsweep names it without the seed.
     *
     * @return e.g. {@code plain-50}
     */
    public String cell() {
        return variant + "-" + depth;
    }

    /**
     * Groups runs by their cell, for a table or a chart with one entry per cell.
     *
     * @param runs the runs
     * @return the runs by variant, then by depth, both in order
     */
    static Map<String, Map<Integer, List<KerasRun>>> byCell(List<KerasRun> runs) {
        Map<String, Map<Integer, List<KerasRun>>> cells = new TreeMap<>();
        for (KerasRun run : runs) {
            cells.computeIfAbsent(run.variant(), v -> new TreeMap<>())
                    .computeIfAbsent(run.depth(), d -> new ArrayList<>())
                    .add(run);
        }
        return cells;
    }

    /**
     * Returns the run's id, as depthsweep names a cell.
     *
     * @return e.g. {@code plain-50-seed0}
     */
    public String id() {
        return cell() + "-seed" + seed;
    }

    /**
     * Returns the last epoch's test accuracy.
     *
     * @return the accuracy, or null while the run trains
     */
    public Double finalTestAccuracy() {
        return finished() ? epochs.get(epochs.size() - 1).testAccuracy() : null;
    }
}
