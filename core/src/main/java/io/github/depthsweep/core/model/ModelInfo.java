package io.github.depthsweep.core.model;

import io.github.depthsweep.core.data.DatasetInfo;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.nn.StagePlan;
import java.util.List;

/**
 * What a saved model's folder says about it, in {@value SavedModel#INFO_FILE}: enough to rebuild
 * the block (architecture, depth, input shape, classes) and to judge it (accuracy, which BatchNorm
 * statistics it holds).
 *
 * @param format the version of this format, {@value #FORMAT}
 * @param name the model's name, e.g. {@code residual-50}; also its params file's prefix
 * @param architecture {@code plain}, {@code residual} or {@code resnetv1}
 * @param depth the depth the architecture was built with
 * @param stagePlan convolutions per stage for the Keras tutorial's nets, e.g. {@code 13+13+12+12};
 *     null for resnetv1
 * @param dataset the dataset it was trained on, by its registry name ({@link Datasets}); folders
 *     written before this was recorded read as {@code fashion-mnist}
 * @param inputShape one image's shape, channels first: {@code [1, 28, 28]}
 * @param classes the class names in label order
 * @param batchNormStatistics {@value #AS_TRAINED} or {@value #PRECISE_BN}
 * @param testAccuracy the test accuracy of these weights and statistics, null if not measured
 * @param epochs the epochs these weights were trained for
 * @param seed the random seed of the run
 * @param parametersCrc32c the CRC-32C of the parameters file, 8 hex digits, which {@link
 *     SavedModel#save} records so that a damaged file is refused before it loads; null in folders
 *     written before it was recorded, whose files are then checked by their structure only
 */
public record ModelInfo(
        int format,
        String name,
        String architecture,
        int depth,
        String stagePlan,
        String dataset,
        long[] inputShape,
        List<String> classes,
        String batchNormStatistics,
        Double testAccuracy,
        int epochs,
        long seed,
        String parametersCrc32c) {

    /** The current format version. */
    public static final int FORMAT = 1;

    /** BatchNorm holds the moving statistics as training left them. */
    public static final String AS_TRAINED = "as-trained";

    /** BatchNorm holds statistics re-estimated by precise BN. */
    public static final String PRECISE_BN = "precise-bn";

    /**
     * Returns the dataset the model was trained on.
     *
     * @return its registry name; {@code fashion-mnist} for a folder written before it was recorded
     */
    @Override
    public String dataset() {
        return dataset == null ? Datasets.DEFAULT.name() : dataset;
    }

    /**
     * Describes an untrained Fashion-MNIST model of an architecture and depth.
     *
     * @param architecture the architecture
     * @param depth its depth
     * @return the description, with no accuracy, 0 epochs and seed 0
     */
    public static ModelInfo of(Architecture architecture, int depth) {
        return of(architecture, depth, Datasets.DEFAULT);
    }

    /**
     * Describes an untrained model of an architecture and depth for a dataset.
     *
     * @param architecture the architecture
     * @param depth its depth
     * @param dataset the dataset it is for: its name, image shape and classes
     * @return the description, with no accuracy, 0 epochs and seed 0
     */
    public static ModelInfo of(Architecture architecture, int depth, DatasetInfo dataset) {
        architecture.checkDepth(depth);
        String plan = architecture.hasStages() ? StagePlan.forDepth(depth).toString() : null;
        return new ModelInfo(
                FORMAT,
                architecture.modelName(depth),
                architecture.label(),
                depth,
                plan,
                dataset.name(),
                dataset.imageShape().getShape(),
                dataset.classes(),
                AS_TRAINED,
                null,
                0,
                0,
                null);
    }

    /**
     * Returns a copy that records how the weights were trained and how well they do.
     *
     * @param batchNormStatistics {@value #AS_TRAINED} or {@value #PRECISE_BN}
     * @param testAccuracy the test accuracy
     * @param epochs the epochs trained
     * @param seed the run's seed
     * @return the copy
     */
    public ModelInfo trained(
            String batchNormStatistics, double testAccuracy, int epochs, long seed) {
        return new ModelInfo(
                format,
                name,
                architecture,
                depth,
                stagePlan,
                dataset,
                inputShape,
                classes,
                batchNormStatistics,
                testAccuracy,
                epochs,
                seed,
                parametersCrc32c);
    }

    /**
     * Returns a copy that records its parameters file's checksum.
     *
     * @param crc32c the file's CRC-32C, 8 hex digits
     * @return the copy
     */
    public ModelInfo withParametersCrc32c(String crc32c) {
        return new ModelInfo(
                format,
                name,
                architecture,
                depth,
                stagePlan,
                dataset,
                inputShape,
                classes,
                batchNormStatistics,
                testAccuracy,
                epochs,
                seed,
                crc32c);
    }
}
