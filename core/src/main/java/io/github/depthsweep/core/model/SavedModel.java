package io.github.depthsweep.core.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.github.depthsweep.core.io.AtomicFiles;
import io.github.depthsweep.core.nn.StagePlan;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** The largest info file read: real ones are a few hundred bytes. */
    static final long MAX_INFO_BYTES = 1 << 20;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private SavedModel() {}

    /**
     * Saves a model's parameters and info into {@code folder}, atomically: the folder appears whole
     * or not at all, and replaces any older one.
     *
     * @param model an initialized model
     * @param info what to record about it; its name is the params file's prefix; the params file's
     *     checksum is added to it
     * @param folder the model's folder
     * @throws IOException if it cannot be written
     */
    public static void save(Model model, ModelInfo info, Path folder) throws IOException {
        AtomicFiles.writeFolder(
                folder,
                staging -> {
                    model.setProperty("Epoch", "0");
                    model.save(staging, info.name());
                    String crc = ParamsFile.crc32c(paramsFile(staging, info));
                    try (Writer out = Files.newBufferedWriter(staging.resolve(INFO_FILE))) {
                        GSON.toJson(info.withParametersCrc32c(crc), out);
                    }
                });
    }

    /**
     * Reads a model folder's info and checks it ({@link ModelInfoCheck}): a known architecture at a
     * depth it takes, at most {@value StagePlan#MAX_DEPTH}; the name and stage plan that gives; a
     * known dataset's image shape and class count; sane values elsewhere.
     *
     * @param folder the model's folder
     * @return its info
     * @throws IOException if the folder or its info is missing, unreadable or breaks a rule; the
     *     message says which, in one line
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
        long size = Files.size(file);
        if (size > MAX_INFO_BYTES) {
            throw new InvalidModelException(
                    file
                            + " is "
                            + size
                            + " bytes; a model's info is a few hundred: it is not a "
                            + INFO_FILE
                            + ", copy the model folder again.");
        }
        ModelInfo info;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            info = GSON.fromJson(in, ModelInfo.class);
        } catch (CharacterCodingException | JsonParseException e) {
            throw new InvalidModelException(
                    file
                            + " is not valid JSON: "
                            + jsonReason(e)
                            + "; copy the model folder again.",
                    e);
        }
        if (info == null || info.name() == null || info.architecture() == null) {
            throw new InvalidModelException(file + " lacks the model's name or architecture.");
        }
        if (info.classes() == null || info.classes().size() < 2) {
            throw new InvalidModelException(file + " lacks the model's class names.");
        }
        if (info.format() > ModelInfo.FORMAT) {
            throw new InvalidModelException(
                    file
                            + " has format "
                            + info.format()
                            + "; this depthsweep reads up to "
                            + ModelInfo.FORMAT
                            + ". Update depthsweep.");
        }
        ModelInfoCheck.check(info, file);
        return info;
    }

    /** Gson's innermost complaint, its first line, cut short: it may quote the file. */
    private static String jsonReason(Exception e) {
        Throwable innermost = e;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        if (innermost instanceof CharacterCodingException) {
            return "it is not UTF-8 text";
        }
        String message = innermost.getMessage();
        if (message == null || message.isBlank()) {
            return innermost.getClass().getSimpleName();
        }
        return ModelInfoCheck.shown(message.lines().findFirst().orElse("").trim(), 160);
    }

    /**
     * Loads a saved model: checks the folder ({@link #checkLoadable}) before anything is built,
     * rebuilds its block from the info, then loads the parameters; the model is closed again if
     * loading fails.
     *
     * @param folder the model's folder
     * @return the model, ready for inference; close it when done
     * @throws IOException if anything is missing, unknown or corrupt; the message says what
     */
    public static Model load(Path folder) throws IOException {
        ModelInfo info = checkLoadable(folder);
        Model model = Model.newInstance(info.name());
        try {
            model.setBlock(newBlock(info));
            model.load(folder, info.name());
            checkLoaded(folder, info, model);
            return model;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw corrupt(folder, info, e);
        }
    }

    /**
     * Checks that a model's parameters really loaded: DJL skips a file without its header silently,
     * and loads parameters of another net's shapes without complaint, so this runs one blank image
     * through the block and checks it gives one score per class.
     *
     * @param folder the model's folder
     * @param info the model's info
     * @param model the model, just loaded
     * @throws IOException if the block is not initialized or does not run; the message is {@link
     *     #corrupt}'s
     */
    public static void checkLoaded(Path folder, ModelInfo info, Model model) throws IOException {
        Block block = model.getBlock();
        if (block == null || !block.isInitialized()) {
            throw new CorruptParametersException(
                    folder, info, "it is not a DJL parameters file", null);
        }
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDList blank = new NDList(scope.zeros(batchShape(info, 1)));
            Shape output =
                    block.forward(new ParameterStore(scope, false), blank, false)
                            .singletonOrThrow()
                            .getShape();
            Shape expected = new Shape(1, info.classes().size());
            if (!output.equals(expected)) {
                throw new CorruptParametersException(
                        folder, info, "it outputs " + output + " instead of " + expected, null);
            }
        } catch (RuntimeException e) {
            throw corrupt(folder, info, e);
        }
    }

    /**
     * Checks, without touching an engine, building a net or allocating its memory, that a folder
     * holds a model this version can load: its info follows the rules ({@link #readInfo}), and its
     * parameters file exists and holds that net's parameters, undamaged ({@link ParamsCheck}: its
     * headers, name, parameter count and checksum). {@link #load}, {@link
     * io.github.depthsweep.core.inference.SavedModelCriteria} and the model zoo all run this first,
     * so that every fault gets the same one-line message whichever way a model loads.
     *
     * @param folder the model's folder
     * @return its info
     * @throws IOException if the folder, its info or its parameters are missing, break a rule, do
     *     not match or are damaged; the message says which, in one line
     */
    public static ModelInfo checkLoadable(Path folder) throws IOException {
        ModelInfo info = readInfo(folder);
        Path params = paramsFile(folder, info);
        if (!Files.isRegularFile(params)) {
            throw new FileNotFoundException(
                    "Model folder "
                            + folder
                            + " has no parameters file "
                            + params.getFileName()
                            + ".");
        }
        ParamsCheck.check(params, info);
        return info;
    }

    /**
     * Builds a saved model's block, uninitialized, from its info.
     *
     * @param info the model's info
     * @return the block; it outputs logits
     * @throws IllegalArgumentException if the architecture is unknown or cannot take the depth
     */
    public static Block newBlock(ModelInfo info) {
        return Architecture.parse(info.architecture()).build(info.depth(), info.classes().size());
    }

    /**
     * Returns the parameters file of a model folder: {@code NAME-0000.params}.
     *
     * @param folder the model's folder
     * @param info the model's info
     * @return the file's path, whether or not it exists
     */
    public static Path paramsFile(Path folder, ModelInfo info) {
        return folder.resolve(info.name() + "-0000.params");
    }

    /**
     * Describes a failure to load parameters that {@link #checkLoadable} found present.
     *
     * @param folder the model's folder
     * @param info the model's info
     * @param cause what the engine or DJL threw
     * @return an exception whose one-line message names the file, the model and the engine's
     *     innermost complaint
     */
    public static IOException corrupt(Path folder, ModelInfo info, Exception cause) {
        if (cause instanceof InvalidModelException || cause instanceof FileNotFoundException) {
            return (IOException) cause; // a check's own message, already one line
        }
        // DJL wraps the engine's complaint; the innermost message is the informative one.
        Throwable innermost = cause;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String reason =
                innermost.getMessage() == null
                        ? innermost.getClass().getSimpleName()
                        : innermost.getMessage().lines().findFirst().orElse("").trim();
        return new CorruptParametersException(folder, info, reason, cause);
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

    /** Parameters that are present but do not load into the block the info describes. */
    private static final class CorruptParametersException extends InvalidModelException {

        private static final long serialVersionUID = 1L;

        CorruptParametersException(Path folder, ModelInfo info, String reason, Exception cause) {
            super(
                    paramsFile(folder, info)
                            + " is corrupt or does not match "
                            + info.name()
                            + ": "
                            + reason,
                    cause);
        }
    }
}
