package io.github.depthsweep.core.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A saved model's folder: DJL's {@code NAME-0000.params} and {@value #INFO_FILE}. {@code
 * experiments} writes them and {@code app} reads them; the block is rebuilt from the info, so every
 * architecture and depth loads.
 *
 * <pre>{@code
 * try (Model model = SavedModel.load(Path.of("runs/quick/models/residual-50-seed0"))) { ... }
 * }</pre>
 */
public final class SavedModel {

    /** The metadata file in every model folder. */
    public static final String INFO_FILE = "depthsweep-model.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private SavedModel() {}

    /**
     * Saves a model's parameters and info into {@code folder}, atomically: the folder appears whole
     * or not at all, and replaces any older one.
     *
     * @param model an initialized model
     * @param info what to record about it; its name is the params file's prefix
     * @param folder the model's folder
     * @throws IOException if it cannot be written
     */
    public static void save(Model model, ModelInfo info, Path folder) throws IOException {
        Path parent = folder.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + folder.getFileName() + ".tmp-");
        try {
            model.setProperty("Epoch", "0");
            model.save(staging, info.name());
            try (Writer out = Files.newBufferedWriter(staging.resolve(INFO_FILE))) {
                GSON.toJson(info, out);
            }
            if (Files.exists(folder)) {
                deleteRecursively(folder);
            }
            try {
                Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, folder);
            }
        } finally {
            if (Files.exists(staging)) {
                deleteRecursively(staging);
            }
        }
    }

    /**
     * Reads a model folder's info.
     *
     * @param folder the model's folder
     * @return its info
     * @throws IOException if the folder or its info is missing or unreadable; the message says
     *     which
     */
    public static ModelInfo readInfo(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new FileNotFoundException("Model folder " + folder + " does not exist.");
        }
        Path file = folder.resolve(INFO_FILE);
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException(
                    folder + " is not a depthsweep model folder: it has no " + INFO_FILE + ".");
        }
        ModelInfo info;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            info = GSON.fromJson(in, ModelInfo.class);
        } catch (JsonParseException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (info == null || info.name() == null || info.architecture() == null) {
            throw new IOException(file + " lacks the model's name or architecture.");
        }
        if (info.format() > ModelInfo.FORMAT) {
            throw new IOException(
                    file
                            + " has format "
                            + info.format()
                            + "; this depthsweep reads up to "
                            + ModelInfo.FORMAT
                            + ". Update depthsweep.");
        }
        return info;
    }

    /**
     * Loads a saved model: rebuilds its block from the info, then loads the parameters.
     *
     * @param folder the model's folder
     * @return the model, ready for inference; close it when done
     * @throws IOException if anything is missing, unknown or corrupt; the message says what
     */
    public static Model load(Path folder) throws IOException {
        ModelInfo info = readInfo(folder);
        Architecture architecture;
        try {
            architecture = Architecture.parse(info.architecture());
            architecture.checkDepth(info.depth());
        } catch (IllegalArgumentException e) {
            throw new IOException(folder.resolve(INFO_FILE) + ": " + e.getMessage(), e);
        }
        Path params = folder.resolve(info.name() + "-0000.params");
        if (!Files.isRegularFile(params)) {
            throw new FileNotFoundException(
                    "Model folder "
                            + folder
                            + " has no parameters file "
                            + params.getFileName()
                            + ".");
        }
        Model model = Model.newInstance(info.name());
        try {
            model.setBlock(architecture.build(info.depth(), info.classes().size()));
            model.load(folder, info.name());
            return model;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException(
                    params + " is corrupt or does not match " + info.name() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Returns the input shape of one batch of {@code batchSize} images for a model.
     *
     * @param info the model's info
     * @param batchSize the batch size
     * @return (batchSize, 1, 28, 28) for Fashion-MNIST
     */
    public static Shape batchShape(ModelInfo info, long batchSize) {
        return new Shape(batchSize).addAll(new Shape(info.inputShape()));
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
