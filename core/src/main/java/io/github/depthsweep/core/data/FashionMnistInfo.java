package io.github.depthsweep.core.data;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST, the default: searched in {@value #ENV_VAR}, then Debian's {@code
 * /usr/share/datasets/fashion-mnist} (package {@code dataset-fashion-mnist}), then DJL's download.
 */
final class FashionMnistInfo extends DatasetInfo {

    /** The environment variable that names a folder holding the IDX files. */
    static final String ENV_VAR = "FASHION_MNIST_DIR";

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    FashionMnistInfo() {
        super(
                "fashion-mnist",
                "Fashion-MNIST",
                List.of(
                        "T-shirt/top",
                        "Trouser",
                        "Pullover",
                        "Dress",
                        "Coat",
                        "Sandal",
                        "Shirt",
                        "Sneaker",
                        "Bag",
                        "Ankle boot"),
                60_000,
                10_000);
    }

    @Override
    protected IdxSource defaultFolder() throws FileNotFoundException {
        String env = System.getenv(ENV_VAR);
        if (env != null && !env.isBlank()) {
            return IdxSource.folder(this, Path.of(env), ENV_VAR);
        }
        return Files.isDirectory(DEBIAN_DIR) ? IdxSource.folder(this, DEBIAN_DIR) : null;
    }

    @Override
    protected String searched() {
        return ": no folder given, " + ENV_VAR + " not set, no " + DEBIAN_DIR + ",";
    }

    @Override
    protected String djlArtifact() {
        return "fashmnist";
    }

    @Override
    protected String installHint() {
        return "Install it with 'apt-get install dataset-fashion-mnist' (Debian/Ubuntu), or put"
                + " Zalando's four IDX files (train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,"
                + " t10k-labels-idx1-ubyte.gz) in a folder and pass it (--data DIR) or set "
                + ENV_VAR
                + ".";
    }
}
