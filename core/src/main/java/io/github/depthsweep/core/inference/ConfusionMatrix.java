package io.github.depthsweep.core.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import java.util.List;

/**
 * How often each true class was predicted as each class: rows are true classes, columns
 * predictions. Accuracy and per-class accuracy follow from it.
 *
 * <pre>{@code
 * ConfusionMatrix matrix = ConfusionMatrix.measure(model.getBlock(), test.getData(manager), classes);
 * System.out.println(matrix.accuracy());
 * }</pre>
 */
public final class ConfusionMatrix {

    private final List<String> classes;
    private final long[][] counts;

    /**
     * Creates an empty matrix.
     *
     * @param classes the class names, in label order
     */
    public ConfusionMatrix(List<String> classes) {
        this.classes = List.copyOf(classes);
        this.counts = new long[classes.size()][classes.size()];
    }

    /**
     * Runs a block in inference mode over labelled batches and counts its predictions (the highest
     * logit). Each batch, and everything computed from it, is freed after use; intermediate arrays
     * as soon as the next layer has used them ({@link FreeingPredictor#forward}).
     *
     * @param block an initialized block that outputs one score per class
     * @param batches the batches: images and float or integer class labels
     * @param classes the class names, in label order
     * @return the matrix
     */
    public static ConfusionMatrix measure(
            Block block, Iterable<Batch> batches, List<String> classes) {
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        for (Batch batch : batches) {
            try (batch) {
                ParameterStore parameters = new ParameterStore(batch.getManager(), false);
                // Each layer's arrays are freed once the next has used them.
                NDArray scores =
                        FreeingPredictor.forward(block, parameters, batch.getData())
                                .singletonOrThrow();
                long[] predicted = scores.argMax(1).toType(DataType.INT64, false).toLongArray();
                long[] actual =
                        batch.getLabels()
                                .singletonOrThrow()
                                .toType(DataType.INT64, false)
                                .toLongArray();
                for (int i = 0; i < actual.length; i++) {
                    matrix.add((int) actual[i], (int) predicted[i]);
                }
            }
        }
        return matrix;
    }

    /**
     * Counts one prediction.
     *
     * @param actual the true class index
     * @param predicted the predicted class index
     * @throws IndexOutOfBoundsException if either index is not a class
     */
    public void add(int actual, int predicted) {
        counts[actual][predicted]++;
    }

    /**
     * Returns the class names, in label order.
     *
     * @return the class names
     */
    public List<String> classes() {
        return classes;
    }

    /**
     * Returns how often class {@code actual} was predicted as {@code predicted}.
     *
     * @param actual the true class index
     * @param predicted the predicted class index
     * @return the count
     */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /**
     * Returns how many examples of a class were counted.
     *
     * @param actual the true class index
     * @return the row's sum
     */
    public long total(int actual) {
        long sum = 0;
        for (long count : counts[actual]) {
            sum += count;
        }
        return sum;
    }

    /**
     * Returns how many examples were counted.
     *
     * @return the sum of all counts
     */
    public long total() {
        long sum = 0;
        for (int actual = 0; actual < counts.length; actual++) {
            sum += total(actual);
        }
        return sum;
    }

    /**
     * Returns how many examples were predicted right.
     *
     * @return the sum of the diagonal
     */
    public long correct() {
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            sum += counts[i][i];
        }
        return sum;
    }

    /**
     * Returns the share of examples predicted right.
     *
     * @return the accuracy, NaN if nothing was counted
     */
    public double accuracy() {
        return (double) correct() / total();
    }

    /**
     * Returns the share of a class's examples predicted right (its recall).
     *
     * @param actual the true class index
     * @return the class's accuracy, NaN if it had no examples
     */
    public double accuracy(int actual) {
        return (double) counts[actual][actual] / total(actual);
    }
}
