package io.github.depthsweep.tensorboard;

import java.util.Arrays;
import java.util.List;

/**
 * A histogram of values in equal-width buckets between their minimum and maximum, as TensorBoard's
 * own {@code tf.summary.histogram} makes them (30 buckets by default). It is plain data, so that a
 * training record can keep it (as JSON) and write the same histogram again later.
 *
 * @param min the smallest value
 * @param max the largest value
 * @param counts how many values fell in each bucket, from {@code min} to {@code max}; one bucket
 *     when all values are equal
 */
public record Histogram(double min, double max, List<Long> counts) {

    /** TensorBoard's default bucket count. */
    public static final int DEFAULT_BUCKETS = 30;

    /**
     * Checks and keeps the values.
     *
     * @param min the smallest value
     * @param max the largest value
     * @param counts the buckets' counts
     * @throws IllegalArgumentException if there is no bucket, or {@code min > max}
     */
    public Histogram {
        counts = List.copyOf(counts);
        if (counts.isEmpty() || !(min <= max)) {
            throw new IllegalArgumentException(
                    "a histogram needs a bucket and min <= max, not " + min + " > " + max);
        }
    }

    /**
     * Counts values into {@link #DEFAULT_BUCKETS} buckets.
     *
     * @param values the values; not empty, all finite
     * @return the histogram
     */
    public static Histogram of(float[] values) {
        return of(values, DEFAULT_BUCKETS);
    }

    /**
     * Counts values into equal-width buckets.
     *
     * @param values the values; not empty, all finite
     * @param buckets how many buckets
     * @return the histogram
     * @throws IllegalArgumentException if there are no values, or one is not finite
     */
    public static Histogram of(float[] values, int buckets) {
        if (values.length == 0 || buckets < 1) {
            throw new IllegalArgumentException("a histogram needs values and a bucket");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float value : values) {
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("a histogram of " + value);
            }
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        if (min == max) {
            return new Histogram(min, max, List.of((long) values.length));
        }
        long[] counts = new long[buckets];
        double width = (max - min) / buckets;
        for (float value : values) {
            counts[Math.min((int) ((value - min) / width), buckets - 1)]++;
        }
        return new Histogram(min, max, Arrays.stream(counts).boxed().toList());
    }

    /**
     * Returns the number of values counted.
     *
     * @return the sum of the counts
     */
    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Returns the buckets as TensorBoard 2.x stores them: rows of left edge, right edge, count.
     *
     * @return {@code 3 * counts().size()} numbers, row by row
     */
    double[] rows() {
        int buckets = counts.size();
        double width = (max - min) / buckets;
        double[] rows = new double[3 * buckets];
        for (int i = 0; i < buckets; i++) {
            rows[3 * i] = min + i * width;
            rows[3 * i + 1] = i == buckets - 1 ? max : min + (i + 1) * width;
            rows[3 * i + 2] = counts.get(i);
        }
        return rows;
    }
}
