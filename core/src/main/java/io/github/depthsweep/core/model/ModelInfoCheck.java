package io.github.depthsweep.core.model;

import io.github.depthsweep.core.data.DatasetInfo;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.nn.StagePlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules a model's {@value SavedModel#INFO_FILE} must follow before anything is built from it: a
 * known architecture at a depth it takes (at most {@value StagePlan#MAX_DEPTH}), the name and stage
 * plan that architecture gives that depth, a known dataset with its image shape and class count,
 * and sane values elsewhere. A file edited by hand, damaged or made up is refused in one line that
 * says which field is wrong and what it should be; whatever it quotes from the file is cut short
 * and stripped of line breaks, so the line stays one short line.
 */
final class ModelInfoCheck {

    /** The longest class name a model may have. */
    static final int MAX_CLASS_NAME = 100;

    private static final int SHOWN = 60;
    private static final Pattern CRC32C = Pattern.compile("[0-9a-f]{8}");

    private ModelInfoCheck() {}

    /**
     * Checks a model's info.
     *
     * @param info the info, as read
     * @param file the file it was read from, for messages
     * @throws IOException if a rule is broken; the message names the file, the field and the fix
     */
    static void check(ModelInfo info, Path file) throws IOException {
        try {
            checkFields(info);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(file + ": " + e.getMessage(), e);
        }
    }

    private static void checkFields(ModelInfo info) {
        if (info.format() < 1 || info.format() > ModelInfo.FORMAT) {
            throw new IllegalArgumentException(
                    "it has format "
                            + info.format()
                            + "; this depthsweep reads format 1 to "
                            + ModelInfo.FORMAT
                            + ": update depthsweep, or save the model again.");
        }
        Architecture architecture = Architecture.parse(shown(info.architecture()));
        architecture.checkDepth(info.depth());
        String name = architecture.modelName(info.depth());
        if (!name.equals(info.name())) {
            throw new IllegalArgumentException(
                    "it names the model '"
                            + shown(info.name())
                            + "', but "
                            + architecture.label()
                            + " at depth "
                            + info.depth()
                            + " is "
                            + name
                            + ": make name, architecture and depth agree.");
        }
        checkStagePlan(info, architecture, name);
        DatasetInfo dataset = Datasets.byName(shown(info.dataset()));
        checkInput(info, dataset, name);
        if (info.batchNormStatistics() != null
                && !List.of(ModelInfo.AS_TRAINED, ModelInfo.PRECISE_BN)
                        .contains(info.batchNormStatistics())) {
            throw new IllegalArgumentException(
                    "batchNormStatistics is '"
                            + shown(info.batchNormStatistics())
                            + "': use "
                            + ModelInfo.AS_TRAINED
                            + " or "
                            + ModelInfo.PRECISE_BN
                            + ".");
        }
        Double accuracy = info.testAccuracy();
        if (accuracy != null && !(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException(
                    "testAccuracy is "
                            + accuracy
                            + ": give a fraction from 0 to 1, or leave it out.");
        }
        if (info.epochs() < 0 || info.seed() < 0) {
            throw new IllegalArgumentException(
                    "epochs and seed must be 0 or more, got "
                            + info.epochs()
                            + " and "
                            + info.seed()
                            + ".");
        }
        if (info.parametersCrc32c() != null && !CRC32C.matcher(info.parametersCrc32c()).matches()) {
            throw new IllegalArgumentException(
                    "parametersCrc32c is '"
                            + shown(info.parametersCrc32c())
                            + "', not 8 lower-case hex digits: save the model again, or leave it"
                            + " out.");
        }
    }

    private static void checkStagePlan(ModelInfo info, Architecture architecture, String name) {
        if (!architecture.hasStages()) {
            if (info.stagePlan() != null) {
                throw new IllegalArgumentException(
                        "it gives stagePlan '"
                                + shown(info.stagePlan())
                                + "', but "
                                + architecture.label()
                                + " has no stages: leave stagePlan out.");
            }
            return;
        }
        String plan = StagePlan.forDepth(info.depth()).toString();
        if (!plan.equals(info.stagePlan())) {
            throw new IllegalArgumentException(
                    "its stagePlan is "
                            + (info.stagePlan() == null
                                    ? "missing"
                                    : "'" + shown(info.stagePlan()) + "'")
                            + ", but "
                            + name
                            + "'s is "
                            + plan
                            + ": make stagePlan and depth agree.");
        }
    }

    private static void checkInput(ModelInfo info, DatasetInfo dataset, String name) {
        long[] shape = dataset.imageShape().getShape();
        if (!Arrays.equals(shape, info.inputShape())) {
            throw new IllegalArgumentException(
                    "inputShape is "
                            + shown(info.inputShape())
                            + ", but "
                            + dataset.name()
                            + "'s images are "
                            + Arrays.toString(shape)
                            + ": a "
                            + name
                            + " for "
                            + dataset.name()
                            + " takes that shape.");
        }
        List<String> classes = info.classes();
        if (classes.size() != dataset.classes().size()) {
            throw new IllegalArgumentException(
                    "it lists "
                            + classes.size()
                            + " classes, but "
                            + dataset.name()
                            + " has "
                            + dataset.classes().size()
                            + ": list the dataset's classes in label order.");
        }
        for (int i = 0; i < classes.size(); i++) {
            String label = classes.get(i);
            if (label == null
                    || label.isBlank()
                    || label.length() > MAX_CLASS_NAME
                    || label.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(
                        "class "
                                + i
                                + "'s name '"
                                + shown(label)
                                + "' is not a name: give 1 to "
                                + MAX_CLASS_NAME
                                + " characters on one line.");
            }
        }
    }

    /**
     * Returns a value from a file as a message may quote it: at most 60 characters, control
     * characters as {@code ?}, so that a hostile value cannot make a message long or split it into
     * lines. A name short and clean enough to be valid is returned unchanged.
     *
     * @param value the value, possibly null
     * @return the value to quote
     */
    static String shown(String value) {
        return shown(value, SHOWN);
    }

    /**
     * Returns a value as {@link #shown(String)} does, cut at another length.
     *
     * @param value the value, possibly null
     * @param length the most characters to keep
     * @return the value to quote
     */
    static String shown(String value, int length) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() > length ? value.substring(0, length) + "..." : value;
        StringBuilder clean = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return clean.toString();
    }

    private static String shown(long[] values) {
        if (values == null) {
            return "missing";
        }
        if (values.length <= 4) {
            return Arrays.toString(values);
        }
        return "["
                + values[0]
                + ", "
                + values[1]
                + ", "
                + values[2]
                + ", ...] ("
                + values.length
                + " numbers)";
    }
}
