package io.github.depthsweep.core.data;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.util.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An MNIST-format dataset of the registry ({@link Datasets}; Fashion-MNIST unless the builder names
 * another) as a DJL dataset, read from its four IDX files: images NCHW float32 (N, 1, 28, 28)
 * scaled to [0, 1], labels float32 class indices 0 to 9 (DJL's convention for its losses and
 * evaluators).
 *
 * <pre>{@code
 * try (IdxDataset train = IdxDataset.builder()
 *         .optDataset(Datasets.MNIST).optUsage(Usage.TRAIN).setSampling(150, true).build()) {
 *     train.prepare();
 *     ...
 * }
 * }</pre>
 *
 * <p>The arrays live in the dataset's own manager; {@link #close()} frees them.
 */
public final class IdxDataset extends ArrayDataset implements AutoCloseable {

    private final NDManager manager;
    private final DatasetInfo dataset;
    private final Usage usage;
    private final Path directory;
    private final long limit;
    private IdxSource source;

    private IdxDataset(Builder builder) {
        super(builder);
        this.manager = builder.manager;
        this.dataset = builder.dataset;
        this.usage = builder.usage;
        this.directory = builder.directory;
        this.limit = builder.limit;
    }

    /**
     * Creates a builder: Fashion-MNIST's training data, all of it, from the default location.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the files, once; see {@link #prepare(Progress)}.
     *
     * @throws IOException if the files are missing or not what they should be
     */
    @Override
    public void prepare() throws IOException {
        prepare(null);
    }

    /**
     * Reads the files, once. Called by DJL before the first batch; call it yourself to get read
     * errors early.
     *
     * @param progress ignored: reading takes well under a second
     * @throws IOException if the files are missing or not what they should be; the message names
     *     the file, the fault and the fix
     */
    @Override
    public void prepare(Progress progress) throws IOException {
        if (data != null) {
            return;
        }
        source = dataset.locate(directory);
        String prefix = usage == Usage.TRAIN ? "train" : "t10k";
        IdxFile images = read(prefix + "-images-idx3-ubyte", IdxFile.IMAGES_MAGIC);
        IdxFile labelFile = read(prefix + "-labels-idx1-ubyte", IdxFile.LABELS_MAGIC);
        int[] imageDims = images.dimensions();
        int count = labelFile.dimensions()[0];
        long height = dataset.imageShape().get(1);
        long width = dataset.imageShape().get(2);
        if (imageDims[1] != height || imageDims[2] != width) {
            throw new IOException(
                    String.format(
                            "%s images in %s are %dx%d; %s's are %dx%d.",
                            prefix,
                            source,
                            imageDims[1],
                            imageDims[2],
                            dataset.title(),
                            height,
                            width));
        }
        if (imageDims[0] != count) {
            throw new IOException(
                    String.format(
                            "%s in %s: %d images but %d labels; the two files must match.",
                            prefix, source, imageDims[0], count));
        }
        int n = (int) Math.min(count, limit);
        checkLabels(prefix, labelFile, n);
        data = new NDArray[] {pixels(images, n)};
        labels = new NDArray[] {classIndices(labelFile, n)};
    }

    /**
     * Returns the number of images before any limit; reads the files first if needed.
     *
     * @return the split's image count
     * @throws UncheckedIOException if the files cannot be read
     */
    @Override
    protected long availableSize() {
        try {
            prepare();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return data[0].size(0);
    }

    /**
     * Returns where the data was read from; known after {@link #prepare(Progress)}.
     *
     * @return the folder, {@code DJL download}, or {@code null} before prepare
     */
    public String getSource() {
        return source == null ? null : source.toString();
    }

    /**
     * Returns which dataset of the registry this is.
     *
     * @return e.g. {@link Datasets#FASHION_MNIST}
     */
    public DatasetInfo dataset() {
        return dataset;
    }

    /**
     * Returns whether this is the training or the test split.
     *
     * @return {@code TRAIN} or {@code TEST}
     */
    public Usage getUsage() {
        return usage;
    }

    /**
     * Returns all images as one array, (N, 1, 28, 28) in [0, 1]; prepares the data if needed.
     *
     * @return the images, owned by this dataset
     * @throws IOException if the data cannot be read
     */
    public NDArray images() throws IOException {
        prepare();
        return data[0];
    }

    /**
     * Returns all labels as one array, (N), float32 class indices; prepares the data if needed.
     *
     * @return the labels, owned by this dataset
     * @throws IOException if the data cannot be read
     */
    public NDArray labels() throws IOException {
        prepare();
        return labels[0];
    }

    /** Frees the dataset's arrays. */
    @Override
    public void close() {
        manager.close();
    }

    private IdxFile read(String file, int magic) throws IOException {
        try (InputStream in = source.open(file)) {
            return IdxFile.read(source + "/" + file, in, magic);
        }
    }

    private void checkLabels(String prefix, IdxFile labelFile, int n) throws IOException {
        byte[] bytes = labelFile.bytes();
        for (int i = 0; i < n; i++) {
            int label = bytes[labelFile.offset() + i] & 0xFF;
            if (label >= dataset.classes().size()) {
                throw new IOException(
                        String.format(
                                "%s labels in %s: label %d at index %d; %s's are 0-%d.",
                                prefix,
                                source,
                                label,
                                i,
                                dataset.title(),
                                dataset.classes().size() - 1));
            }
        }
    }

    private NDArray pixels(IdxFile images, int n) {
        Shape shape = new Shape(n).addAll(dataset.imageShape());
        ByteBuffer bytes =
                ByteBuffer.wrap(images.bytes(), images.offset(), Math.toIntExact(shape.size()));
        try (NDArray raw = manager.create(bytes, shape, DataType.UINT8)) {
            return raw.toType(DataType.FLOAT32, false).divi(255f);
        }
    }

    private NDArray classIndices(IdxFile labelFile, int n) {
        ByteBuffer bytes = ByteBuffer.wrap(labelFile.bytes(), labelFile.offset(), n);
        try (NDArray raw = manager.create(bytes, new Shape(n), DataType.UINT8)) {
            return raw.toType(DataType.FLOAT32, false);
        }
    }

    /** A builder for an {@link IdxDataset}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private NDManager manager;
        private DatasetInfo dataset = Datasets.DEFAULT;
        private Usage usage = Usage.TRAIN;
        private Path directory;
        private long limit = Long.MAX_VALUE;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets which dataset of the registry to read; Fashion-MNIST if not set.
         *
         * @param dataset the dataset, e.g. {@link Datasets#MNIST}
         * @return this builder
         */
        public Builder optDataset(DatasetInfo dataset) {
            this.dataset = dataset;
            return this;
        }

        /**
         * Sets the split: {@code TRAIN} (60,000 images in Fashion-MNIST) or {@code TEST} (10,000).
         *
         * @param usage the split
         * @return this builder
         * @throws IllegalArgumentException for {@code VALIDATION}, which Fashion-MNIST lacks
         */
        public Builder optUsage(Usage usage) {
            if (usage == Usage.VALIDATION) {
                throw new IllegalArgumentException(
                        "MNIST-format datasets have no validation split: use TRAIN or TEST.");
            }
            this.usage = usage;
            return this;
        }

        /**
         * Reads the files from this folder instead of searching the default places.
         *
         * @param directory a folder holding the four IDX files, gzipped or not
         * @return this builder
         */
        public Builder optDirectory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Keeps only the first {@code limit} images of the split.
         *
         * @param limit the number of images, at least 1
         * @return this builder
         */
        @Override
        public Builder optLimit(long limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("The limit must be at least 1, got " + limit);
            }
            this.limit = limit;
            return super.optLimit(limit);
        }

        /**
         * Puts the arrays in this manager's child instead of a new base manager.
         *
         * @param manager the parent manager
         * @return this builder
         */
        public Builder optManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Builds the dataset; the files are read on {@link IdxDataset#prepare}.
         *
         * @return the dataset
         * @throws IllegalStateException if no sampling was set
         */
        public IdxDataset build() {
            if (sampler == null) {
                throw new IllegalStateException(
                        "Call setSampling(batchSize, shuffle) before build(): DJL needs to know"
                                + " how to batch the data.");
            }
            manager =
                    manager == null
                            ? Engine.getInstance().newBaseManager()
                            : manager.newSubManager();
            manager.setName(dataset.name());
            return new IdxDataset(this);
        }
    }
}
