package io.github.depthsweep.core.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.Utils;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One entry of the dataset registry ({@link Datasets}): a dataset in the MNIST format (four IDX
 * files of 28x28 grayscale images and their labels), what its labels mean, how big its splits are,
 * and where its files are found. {@link IdxDataset} reads any of them.
 *
 * <p>A new dataset is a subclass giving these facts plus one line in {@link Datasets}.
 */
public abstract class DatasetInfo {

    /** One image's shape, channels first: every MNIST-format dataset's 28x28 grayscale. */
    public static final Shape IMAGE_SHAPE = new Shape(1, 28, 28);

    private final String name;
    private final String title;
    private final List<String> classes;
    private final int trainSize;
    private final int testSize;

    /**
     * Describes a dataset.
     *
     * @param name its name for {@code --dataset}, e.g. {@code mnist}
     * @param title its name in messages, e.g. {@code MNIST}
     * @param classes the class names in label order
     * @param trainSize images in the training split
     * @param testSize images in the test split
     */
    protected DatasetInfo(
            String name, String title, List<String> classes, int trainSize, int testSize) {
        this.name = name;
        this.title = title;
        this.classes = List.copyOf(classes);
        this.trainSize = trainSize;
        this.testSize = testSize;
    }

    /**
     * Returns the name {@code --dataset} takes and saved models and run folders record.
     *
     * @return e.g. {@code fashion-mnist}
     */
    public final String name() {
        return name;
    }

    /**
     * Returns the name for messages.
     *
     * @return e.g. {@code Fashion-MNIST}
     */
    public final String title() {
        return title;
    }

    /**
     * Returns the class names in label order: label {@code i} is {@code classes().get(i)}.
     *
     * @return the names
     */
    public final List<String> classes() {
        return classes;
    }

    /**
     * Returns one image's shape, channels first.
     *
     * @return {@code (1, 28, 28)}
     */
    public Shape imageShape() {
        return IMAGE_SHAPE;
    }

    /**
     * Returns the size of a split: the most images a limit can ask for.
     *
     * @param train the training split if true, else the test split
     * @return e.g. 60000 or 10000
     */
    public final int size(boolean train) {
        return train ? trainSize : testSize;
    }

    /**
     * Finds the files: the folder the user named, else the dataset's own places, else its download.
     *
     * @param explicit a folder the user named ({@code --data}), or null to search
     * @return the source
     * @throws FileNotFoundException if the named folder does not exist, or nothing was found
     * @throws DownloadUnavailableException if only a download could provide them and DJL is offline
     */
    public final IdxSource locate(Path explicit) throws IOException {
        if (explicit != null) {
            return IdxSource.folder(this, explicit, "the folder given");
        }
        IdxSource local = defaultFolder();
        if (local != null) {
            return local;
        }
        String artifact = djlArtifact();
        if (artifact == null) {
            throw new FileNotFoundException(
                    title + " not found: no folder given (--data DIR). " + installHint());
        }
        if (Utils.isOfflineMode()) {
            throw new DownloadUnavailableException(
                    title
                            + " not found"
                            + searched()
                            + " and DJL is offline, so it could not download it. "
                            + installHint());
        }
        return IdxSource.download(this, artifact);
    }

    /**
     * Returns the folder the files are in when the user names none, or null to go on to the
     * download.
     *
     * @return the source, or null; this default has none
     * @throws FileNotFoundException if a place the user configured (an environment variable) does
     *     not exist
     */
    protected IdxSource defaultFolder() throws FileNotFoundException {
        return null;
    }

    /**
     * Says which default places were searched, for the message when nothing was found.
     *
     * @return e.g. {@code : no folder given (--data DIR)}
     */
    protected String searched() {
        return ": no folder given (--data DIR),";
    }

    /**
     * Returns the artifact id of DJL's copy in its basic-datasets repository, downloaded where the
     * machine is online.
     *
     * @return e.g. {@code mnist}, or null where DJL has no copy
     */
    protected String djlArtifact() {
        return null;
    }

    /**
     * Says where to get the files and how to pass them, for error messages.
     *
     * @return one or two sentences
     */
    protected abstract String installHint();

    /**
     * Returns the name, as {@code --dataset} takes it.
     *
     * @return the name
     */
    @Override
    public String toString() {
        return name;
    }
}
