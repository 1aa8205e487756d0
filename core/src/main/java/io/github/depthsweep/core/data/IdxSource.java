package io.github.depthsweep.core.data;

import ai.djl.Application;
import ai.djl.basicdataset.BasicDatasets;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a dataset's four IDX files come from: a folder, or DJL's own download. {@link
 * DatasetInfo#locate(Path)} chooses.
 */
public abstract class IdxSource {

    final DatasetInfo dataset;

    IdxSource(DatasetInfo dataset) {
        this.dataset = dataset;
    }

    /**
     * Returns a source that reads the files from a folder, gzipped or not.
     *
     * @param dataset the dataset the files hold, for messages
     * @param folder the folder
     * @return the source
     */
    public static IdxSource folder(DatasetInfo dataset, Path folder) {
        return new Folder(dataset, folder);
    }

    static IdxSource folder(DatasetInfo dataset, Path folder, String origin)
            throws FileNotFoundException {
        if (!Files.isDirectory(folder)) {
            throw new FileNotFoundException(
                    dataset.title()
                            + " folder "
                            + folder
                            + " ("
                            + origin
                            + ") does not exist. "
                            + dataset.installHint());
        }
        return new Folder(dataset, folder);
    }

    static IdxSource download(DatasetInfo dataset, String artifactId) {
        return new DjlDownload(dataset, artifactId);
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
    private static final class Folder extends IdxSource {

        private final Path folder;

        Folder(DatasetInfo dataset, Path folder) {
            super(dataset);
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
                    dataset.title()
                            + " file "
                            + folder.resolve(file + ".gz")
                            + " (or without .gz) is missing. "
                            + dataset.installHint());
        }

        @Override
        public String toString() {
            return folder.toString();
        }
    }

    /**
     * DJL's own copy, from its basic-datasets repository into DJL's cache on first use (needs
     * internet).
     */
    private static final class DjlDownload extends IdxSource {

        private static final Map<String, String> ITEMS =
                Map.of(
                        "train-images-idx3-ubyte", "train_data",
                        "train-labels-idx1-ubyte", "train_labels",
                        "t10k-images-idx3-ubyte", "test_data",
                        "t10k-labels-idx1-ubyte", "test_labels");

        private final String artifactId;

        DjlDownload(DatasetInfo dataset, String artifactId) {
            super(dataset);
            this.artifactId = artifactId;
        }

        @Override
        InputStream open(String file) throws IOException {
            MRL mrl =
                    BasicDatasets.REPOSITORY.dataset(
                            Application.CV.ANY, BasicDatasets.GROUP_ID, artifactId, "1.0");
            Artifact artifact;
            try {
                artifact = mrl.getDefaultArtifact();
                mrl.prepare(artifact);
            } catch (IOException e) {
                throw new DownloadUnavailableException(
                        "Could not download "
                                + dataset.title()
                                + " ("
                                + e.getMessage()
                                + "). "
                                + dataset.installHint());
            }
            return mrl.getRepository().openStream(artifact.getFiles().get(ITEMS.get(file)), null);
        }

        @Override
        public String toString() {
            return "DJL download";
        }
    }
}
