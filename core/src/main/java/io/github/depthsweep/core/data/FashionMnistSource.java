package io.github.depthsweep.core.data;

import ai.djl.Application;
import ai.djl.basicdataset.BasicDatasets;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.util.Utils;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where Fashion-MNIST's four IDX files come from: a folder, or DJL's own download.
 *
 * <p>{@link #locate(Path)} searches, in order: an explicit folder, the folder in the environment
 * variable {@value #ENV_VAR}, Debian's {@code /usr/share/datasets/fashion-mnist} (package {@code
 * dataset-fashion-mnist}), and DJL's download where the machine is online.
 */
public abstract class FashionMnistSource {

    /** The environment variable that names a folder holding the IDX files. */
    public static final String ENV_VAR = "FASHION_MNIST_DIR";

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    static final String INSTALL_HINT =
            "Install it with 'apt-get install dataset-fashion-mnist' (Debian/Ubuntu), or put"
                    + " Zalando's four IDX files (train-images-idx3-ubyte.gz,"
                    + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,"
                    + " t10k-labels-idx1-ubyte.gz) in a folder and pass it (--data DIR) or set "
                    + ENV_VAR
                    + ".";

    FashionMnistSource() {}

    /**
     * Finds the data: the explicit folder if given, else the first place that has it.
     *
     * @param explicit a folder the user named, or {@code null} to search
     * @return the source
     * @throws FileNotFoundException if the named folder does not exist, or nothing was found
     */
    public static FashionMnistSource locate(Path explicit) throws FileNotFoundException {
        if (explicit != null) {
            return folder(explicit, "the folder given");
        }
        String env = System.getenv(ENV_VAR);
        if (env != null && !env.isBlank()) {
            return folder(Path.of(env), ENV_VAR);
        }
        if (Files.isDirectory(DEBIAN_DIR)) {
            return new Folder(DEBIAN_DIR);
        }
        if (!Utils.isOfflineMode()) {
            return new DjlDownload();
        }
        throw new FileNotFoundException(
                "Fashion-MNIST not found: no folder given, "
                        + ENV_VAR
                        + " not set, no "
                        + DEBIAN_DIR
                        + ", and DJL is offline so it cannot download it. "
                        + INSTALL_HINT);
    }

    /**
     * Returns a source that reads the files from a folder, gzipped or not.
     *
     * @param folder the folder
     * @return the source
     */
    public static FashionMnistSource folder(Path folder) {
        return new Folder(folder);
    }

    private static FashionMnistSource folder(Path folder, String origin)
            throws FileNotFoundException {
        if (!Files.isDirectory(folder)) {
            throw new FileNotFoundException(
                    "Fashion-MNIST folder "
                            + folder
                            + " ("
                            + origin
                            + ") does not exist. "
                            + INSTALL_HINT);
        }
        return new Folder(folder);
    }

    /**
     * Opens one of the four files.
     *
     * @param file the file's name without {@code .gz}, e.g. {@code t10k-labels-idx1-ubyte}
     * @return its bytes, gzipped or not
     * @throws IOException if it cannot be opened; the message names the file and the fix
     */
    abstract InputStream open(String file) throws IOException;

    /**
     * Describes where the data is, for logs and error messages.
     *
     * @return the folder or {@code DJL download}
     */
    @Override
    public abstract String toString();

    /** The files in a folder. */
    private static final class Folder extends FashionMnistSource {

        private final Path folder;

        Folder(Path folder) {
            this.folder = folder;
        }

        @Override
        InputStream open(String file) throws IOException {
            for (String name : new String[] {file + ".gz", file}) {
                Path path = folder.resolve(name);
                if (Files.isRegularFile(path)) {
                    return Files.newInputStream(path);
                }
            }
            throw new FileNotFoundException(
                    "Fashion-MNIST file "
                            + folder.resolve(file + ".gz")
                            + " (or without .gz) is missing. "
                            + INSTALL_HINT);
        }

        @Override
        public String toString() {
            return folder.toString();
        }
    }

    /** DJL's own copy, downloaded into DJL's cache on first use (needs internet). */
    private static final class DjlDownload extends FashionMnistSource {

        private static final Map<String, String> ITEMS =
                Map.of(
                        "train-images-idx3-ubyte", "train_data",
                        "train-labels-idx1-ubyte", "train_labels",
                        "t10k-images-idx3-ubyte", "test_data",
                        "t10k-labels-idx1-ubyte", "test_labels");

        @Override
        InputStream open(String file) throws IOException {
            MRL mrl =
                    BasicDatasets.REPOSITORY.dataset(
                            Application.CV.ANY, BasicDatasets.GROUP_ID, "fashmnist", "1.0");
            Artifact artifact = mrl.getDefaultArtifact();
            mrl.prepare(artifact);
            return mrl.getRepository().openStream(artifact.getFiles().get(ITEMS.get(file)), null);
        }

        @Override
        public String toString() {
            return "DJL download";
        }
    }
}
