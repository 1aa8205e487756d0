package io.github.depthsweep.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.depthsweep.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A network's whole training state in one file: every parameter (BatchNorm's moving statistics
 * included), its {@link ResumableOptimizer}'s state (Adam's moments, SGD's momentum) and update
 * counts, and the caller's own metadata (for example a JSON document with the step, the epochs so
 * far and the settings). Restoring it into a freshly built network and optimizer continues training
 * exactly where it stopped.
 *
 * <pre>{@code
 * TrainingCheckpoint.save(file, network, adam, metadataJson);   // atomic: whole or not at all
 * TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file); // checks the checksum
 * checkpoint.restore(network, adam);                             // checks names and shapes
 * }</pre>
 *
 * <p>The file is written to a temporary file, synced and renamed ({@link AtomicFiles}), so a crash
 * leaves the previous one; it ends with a CRC32 of its contents, so damage is found before anything
 * is restored. Parameters are stored by their names in the block ({@code Block.getParameters()}),
 * which are the same in every run of the same architecture.
 */
public final class TrainingCheckpoint {

    private static final String MAGIC = "depthsweep-training-checkpoint";

    /**
     * The format written: 2 names the optimizer's kind and its arrays (any {@link
     * ResumableOptimizer}); 1, Adam's mean and variance only, is still read.
     */
    private static final int VERSION = 2;

    private static final int ADAM_ONLY = 1;
    private static final NDIndex ALL = new NDIndex(":");

    private final Path file;
    private final String metadata;
    private final Map<String, byte[]> parameters;
    private final String optimizerKind;
    private final Map<String, SavedState> states;

    private TrainingCheckpoint(
            Path file,
            String metadata,
            Map<String, byte[]> parameters,
            String optimizerKind,
            Map<String, SavedState> states) {
        this.file = file;
        this.metadata = metadata;
        this.parameters = parameters;
        this.optimizerKind = optimizerKind;
        this.states = states;
    }

    /**
     * Writes a block's parameters and an optimizer's state to a file, atomically.
     *
     * @param file the checkpoint file; its folder is created if needed
     * @param block the network, initialized
     * @param optimizer the optimizer that trains it
     * @param metadata the caller's own record, e.g. JSON; read back by {@link #metadata()}
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, Block block, ResumableOptimizer optimizer, String metadata)
            throws IOException {
        AtomicFiles.write(file, stream -> write(stream, block, optimizer, metadata));
    }

    /**
     * Writes the checkpoint's format: magic, version, metadata, parameters, the optimizer's kind
     * and each parameter's state (updates, then its arrays by name), CRC32.
     */
    private static void write(
            OutputStream stream, Block block, ResumableOptimizer optimizer, String metadata)
            throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream out =
                new DataOutputStream(
                        new CheckedOutputStream(new BufferedOutputStream(stream, 1 << 20), crc));
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        writeBytes(out, metadata.getBytes(StandardCharsets.UTF_8));
        out.writeInt(block.getParameters().size());
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            out.writeUTF(parameter.getKey());
            writeBytes(out, parameter.getValue().getArray().encode());
        }
        Map<String, OptimizerState> states = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            OptimizerState state = optimizer.state(parameter.getValue().getId());
            if (state != null) {
                states.put(parameter.getKey(), state);
            }
        }
        out.writeUTF(optimizer.kind());
        out.writeInt(states.size());
        for (Map.Entry<String, OptimizerState> state : states.entrySet()) {
            out.writeUTF(state.getKey());
            out.writeInt(state.getValue().updates());
            out.writeInt(state.getValue().arrays().size());
            for (Map.Entry<String, NDArray> array : state.getValue().arrays().entrySet()) {
                out.writeUTF(array.getKey());
                writeBytes(out, array.getValue().encode());
            }
        }
        out.flush();
        out.writeLong(crc.getValue()); // the checksum itself is not checksummed
        out.flush();
    }

    /**
     * Reads a checkpoint and checks that it is whole and undamaged; nothing is restored yet.
     *
     * @param file the checkpoint file
     * @return the checkpoint
     * @throws InvalidCheckpointException if it is truncated, damaged or not a checkpoint
     * @throws IOException if it cannot be read at all
     */
    public static TrainingCheckpoint read(Path file) throws IOException {
        long size = Files.size(file);
        CRC32 crc = new CRC32();
        try (InputStream stream = Files.newInputStream(file)) {
            DataInputStream in =
                    new DataInputStream(
                            new CheckedInputStream(new BufferedInputStream(stream, 1 << 20), crc));
            if (!MAGIC.equals(in.readUTF())) {
                throw new InvalidCheckpointException(file, "it is not a depthsweep checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION && version != ADAM_ONLY) {
                throw new InvalidCheckpointException(
                        file,
                        "it has format "
                                + version
                                + "; this depthsweep reads formats "
                                + ADAM_ONLY
                                + " and "
                                + VERSION);
            }
            String metadata = new String(readBytes(in, size, file), StandardCharsets.UTF_8);
            Map<String, byte[]> parameters = new LinkedHashMap<>();
            int count = readCount(in, size, file);
            for (int i = 0; i < count; i++) {
                parameters.put(in.readUTF(), readBytes(in, size, file));
            }
            String kind = version == ADAM_ONLY ? ResumableAdam.KIND : in.readUTF();
            Map<String, SavedState> states = new LinkedHashMap<>();
            count = readCount(in, size, file);
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int updates = in.readInt();
                Map<String, byte[]> arrays = new LinkedHashMap<>();
                if (version == ADAM_ONLY) {
                    arrays.put("mean", readBytes(in, size, file));
                    arrays.put("variance", readBytes(in, size, file));
                } else {
                    int arrayCount = readCount(in, size, file);
                    for (int a = 0; a < arrayCount; a++) {
                        arrays.put(in.readUTF(), readBytes(in, size, file));
                    }
                }
                states.put(name, new SavedState(updates, arrays));
            }
            long computed = crc.getValue();
            if (in.readLong() != computed || in.read() != -1) {
                throw new InvalidCheckpointException(file, "its checksum does not match");
            }
            return new TrainingCheckpoint(file, metadata, parameters, kind, states);
        } catch (EOFException e) {
            throw new InvalidCheckpointException(file, "it is truncated or damaged");
        } catch (java.io.UTFDataFormatException e) {
            throw new InvalidCheckpointException(file, "it is damaged");
        }
    }

    /**
     * Reads only a checkpoint's metadata, from the start of the file, without reading or checking
     * the rest: for a quick look (an estimate, a listing); {@link #read} before restoring.
     *
     * @param file the checkpoint file
     * @return the caller's metadata, as saved
     * @throws InvalidCheckpointException if the start of the file is not a checkpoint's
     * @throws IOException if it cannot be read at all
     */
    public static String readMetadata(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream stream = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
            if (!MAGIC.equals(in.readUTF())) {
                throw new InvalidCheckpointException(file, "it is not a depthsweep checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION && version != ADAM_ONLY) {
                throw new InvalidCheckpointException(file, "it is not a depthsweep checkpoint");
            }
            return new String(readBytes(in, size, file), StandardCharsets.UTF_8);
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw new InvalidCheckpointException(file, "it is truncated or damaged");
        }
    }

    /**
     * Returns the caller's metadata, as saved.
     *
     * @return the metadata
     */
    public String metadata() {
        return metadata;
    }

    /**
     * Returns the file this checkpoint was read from.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /**
     * Puts the saved state into a network and its optimizer. Everything is checked before anything
     * changes: the network must have exactly the saved parameters, with the same shapes, and the
     * optimizer must keep the saved kind of state.
     *
     * @param block the network, built and initialized as the saved one was
     * @param optimizer the optimizer that will train it
     * @throws InvalidCheckpointException if the checkpoint belongs to another network or optimizer,
     *     or is damaged
     */
    public void restore(Block block, ResumableOptimizer optimizer)
            throws InvalidCheckpointException {
        if (!optimizer.kind().equals(optimizerKind)) {
            throw new InvalidCheckpointException(
                    file,
                    "it holds the state of "
                            + optimizerKind
                            + ", and this run trains with "
                            + optimizer.kind());
        }
        Map<String, Parameter> network = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            network.put(parameter.getKey(), parameter.getValue());
        }
        if (!network.keySet().equals(parameters.keySet())
                || !network.keySet().containsAll(states.keySet())) {
            throw new InvalidCheckpointException(
                    file,
                    "it holds another network's parameters ("
                            + parameters.size()
                            + " saved, "
                            + network.size()
                            + " in this network)");
        }
        NDArray first = network.values().iterator().next().getArray();
        try (NDManager scope = first.getManager().newSubManager()) {
            Map<String, NDArray> values = new LinkedHashMap<>();
            Map<String, OptimizerState> restored = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> entry : network.entrySet()) {
                NDArray target = entry.getValue().getArray();
                values.put(entry.getKey(), decode(scope, parameters.get(entry.getKey()), target));
                SavedState saved = states.get(entry.getKey());
                if (saved != null) {
                    Map<String, NDArray> arrays = new LinkedHashMap<>();
                    for (Map.Entry<String, byte[]> array : saved.arrays().entrySet()) {
                        arrays.put(array.getKey(), decode(scope, array.getValue(), target));
                    }
                    restored.put(entry.getKey(), new OptimizerState(saved.updates(), arrays));
                }
            }
            // All checked: now copy in place, so every holder of these arrays sees the new values.
            for (Map.Entry<String, NDArray> value : values.entrySet()) {
                network.get(value.getKey()).getArray().set(ALL, value.getValue());
            }
            for (Map.Entry<String, OptimizerState> state : restored.entrySet()) {
                try {
                    optimizer.setState(network.get(state.getKey()).getId(), state.getValue());
                } catch (IllegalArgumentException e) {
                    throw new InvalidCheckpointException(file, "its optimizer state is damaged");
                }
            }
        }
    }

    private NDArray decode(NDManager scope, byte[] bytes, NDArray like)
            throws InvalidCheckpointException {
        NDArray array;
        try {
            array = scope.decode(bytes);
        } catch (RuntimeException e) {
            throw new InvalidCheckpointException(file, "an array in it cannot be decoded");
        }
        if (!array.getShape().equals(like.getShape())
                || array.getDataType() != like.getDataType()) {
            throw new InvalidCheckpointException(
                    file,
                    "it holds another network's parameters: an array of shape "
                            + array.getShape()
                            + " where this network has "
                            + like.getShape());
        }
        return array.toDevice(like.getDevice(), false);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in, long fileSize, Path file)
            throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new InvalidCheckpointException(file, "it is damaged");
        } else if (length > fileSize) {
            throw new InvalidCheckpointException(file, "it is truncated or damaged");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static int readCount(DataInputStream in, long fileSize, Path file) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > fileSize) {
            throw new InvalidCheckpointException(file, "it is damaged");
        }
        return count;
    }

    /** An optimizer's state for one parameter, still encoded. */
    private record SavedState(int updates, Map<String, byte[]> arrays) {}
}
