package io.github.depthsweep.tensorboard;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The values of one event: scalars, histograms and images that share a step, written together as
 * one record by {@link #write()}. Made by {@link EventWriter#summary(long)}:
 *
 * <pre>{@code
 * events.summary(step).scalar("train/loss", loss).scalar("train/learning_rate", lr).write();
 * }</pre>
 *
 * <p>Values are TensorBoard 2.x summaries, each a tensor with its plugin's metadata: what {@code
 * tf.summary.scalar}, {@code histogram} and {@code image} write.
 */
public final class Summary {

    // tensorboard/compat/proto/types.proto
    private static final int DT_FLOAT = 1;
    private static final int DT_DOUBLE = 2;
    private static final int DT_STRING = 7;
    // summary.proto, enum DataClass
    static final int DATA_CLASS_SCALAR = 1;
    static final int DATA_CLASS_TENSOR = 2;
    static final int DATA_CLASS_BLOB_SEQUENCE = 3;

    private final EventWriter writer;
    private final long step;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private double wallTime = Double.NaN;

    Summary(EventWriter writer, long step) {
        this.writer = writer;
        this.step = step;
    }

    /**
     * Adds a scalar, as {@code tf.summary.scalar} writes it: a float32 tensor of the {@code
     * scalars} plugin.
     *
     * @param tag its name; a prefix before {@code /} groups charts, e.g. {@code train/loss}
     * @param value the value
     * @return this summary
     */
    public Summary scalar(String tag, double value) {
        Proto tensor = new Proto().int32(1, DT_FLOAT).floats(5, (float) value);
        return add(tag, "scalars", DATA_CLASS_SCALAR, tensor);
    }

    /**
     * Adds a histogram, as {@code tf.summary.histogram} writes it: a float64 tensor of rows (left
     * edge, right edge, count), of the {@code histograms} plugin.
     *
     * @param tag its name
     * @param histogram the histogram
     * @return this summary
     */
    public Summary histogram(String tag, Histogram histogram) {
        Proto tensor =
                new Proto()
                        .int32(1, DT_DOUBLE)
                        .message(2, shape(histogram.counts().size(), 3))
                        .doubles(6, histogram.rows());
        return add(tag, "histograms", DATA_CLASS_TENSOR, tensor);
    }

    /**
     * Adds a PNG image, as {@code tf.summary.image} writes it: a string tensor of its width, height
     * and encoded bytes, of the {@code images} plugin.
     *
     * @param tag its name
     * @param png the PNG file's bytes
     * @param width its width in pixels
     * @param height its height in pixels
     * @return this summary
     */
    public Summary image(String tag, byte[] png, int width, int height) {
        Proto tensor =
                new Proto()
                        .int32(1, DT_STRING)
                        .message(2, shape(3))
                        .bytes(
                                8,
                                ByteString.copyFrom(
                                        Integer.toString(width), StandardCharsets.UTF_8))
                        .bytes(
                                8,
                                ByteString.copyFrom(
                                        Integer.toString(height), StandardCharsets.UTF_8))
                        .bytes(8, ByteString.copyFrom(png));
        return add(tag, "images", DATA_CLASS_BLOB_SEQUENCE, tensor);
    }

    /**
     * Sets the event's time; without it, the event has the time {@link #write()} is called.
     *
     * @param secondsSinceEpoch seconds since 1970-01-01 UTC
     * @return this summary
     */
    public Summary wallTime(double secondsSinceEpoch) {
        this.wallTime = secondsSinceEpoch;
        return this;
    }

    /** Writes the event, unless it holds no value. */
    public void write() {
        if (!values.isEmpty()) {
            writer.write(this);
        }
    }

    long step() {
        return step;
    }

    double wallTime() {
        return wallTime;
    }

    /**
     * Encodes the summary; a tag gets its metadata the first time this writer writes it, as
     * TensorFlow's writers do.
     */
    Proto encode(Predicate<String> firstTime) {
        Proto summary = new Proto();
        values.forEach(
                (tag, value) -> {
                    // summary.proto, Summary.Value: tag = 1, metadata = 9, tensor = 8
                    Proto encoded = new Proto().string(1, tag);
                    if (firstTime.test(tag)) {
                        encoded.message(
                                9, metadata(value.plugin, ByteString.EMPTY, value.dataClass));
                    }
                    summary.message(1, encoded.message(8, value.tensor));
                });
        return summary;
    }

    private Summary add(String tag, String plugin, int dataClass, Proto tensor) {
        if (values.putIfAbsent(tag, new Value(plugin, dataClass, tensor)) != null) {
            throw new IllegalArgumentException("the tag " + tag + " twice in one event");
        }
        return this;
    }

    /** One value: its tensor, and the plugin that shows it. */
    private record Value(String plugin, int dataClass, Proto tensor) {}

    /**
     * summary.proto, SummaryMetadata: plugin_data = 1 {plugin_name = 1, content = 2}, data_class =
     * 4.
     */
    static Proto metadata(String plugin, ByteString content, int dataClass) {
        Proto pluginData = new Proto().string(1, plugin);
        if (!content.isEmpty()) {
            pluginData.bytes(2, content);
        }
        return new Proto().message(1, pluginData).int32(4, dataClass);
    }

    /** tensor_shape.proto: dim = 2 {size = 1}. */
    static Proto shape(long... sizes) {
        Proto shape = new Proto();
        for (long size : sizes) {
            shape.message(2, new Proto().int64(1, size));
        }
        return shape;
    }
}
