package io.github.depthsweep.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks, before a net is built, that a model folder's parameters file holds the parameters its
 * info describes: by its size, then by its headers ({@link ParamsFile}), the name it was saved
 * under and its number of values, which {@link Architecture#parameterCount} gives without building
 * the net; then by its checksum, where the info records one. So a file of another net, a truncated
 * or damaged one, is refused in one line that says which, and is never handed to the engine.
 */
final class ParamsCheck {

    /** Bytes a file may hold beyond its values: headers, names, shapes (about 1% for plain-12). */
    private static final long SLACK = 4L << 20;

    private ParamsCheck() {}

    /**
     * Checks a parameters file against its model's info, which {@link ModelInfoCheck} has passed.
     *
     * @param params the parameters file
     * @param info the model's info
     * @throws IOException if the file is not the parameters of that net, or is damaged; the message
     *     says which
     */
    static void check(Path params, ModelInfo info) throws IOException {
        int classes = info.classes().size();
        long expected =
                Architecture.parse(info.architecture()).parameterCount(info.depth(), classes);
        long size = Files.size(params);
        if (size > expected * Float.BYTES + expected * Float.BYTES / 8 + SLACK) {
            throw new InvalidModelException(
                    String.format(
                            Locale.ROOT,
                            "%s is %,d bytes, far more than %s's %,d parameter values take: it"
                                    + " holds another net's parameters, or is not a parameters"
                                    + " file; copy the model folder again.",
                            params,
                            size,
                            info.name(),
                            expected));
        }
        ParamsFile file = ParamsFile.read(params);
        if (!file.savedName().equals(info.name())) {
            throw new InvalidModelException(
                    params
                            + " holds "
                            + ModelInfoCheck.shown(file.savedName())
                            + "'s parameters, not "
                            + info.name()
                            + "'s: copy the model folder again, or put "
                            + info.name()
                            + "'s parameters there.");
        }
        if (file.values() < expected && size < expected * Float.BYTES) {
            throw new InvalidModelException(
                    String.format(
                            Locale.ROOT,
                            "%s is truncated: its %,d bytes hold %,d of %s's %,d parameter values;"
                                    + " copy the model folder again.",
                            params,
                            size,
                            file.values(),
                            info.name(),
                            expected));
        }
        if (file.values() != expected) {
            String whose =
                    Architecture.withParameterCount(file.values(), classes)
                            .map(name -> " (" + name + "'s count)")
                            .orElse("");
            throw new InvalidModelException(
                    String.format(
                            Locale.ROOT,
                            "%s holds %,d parameter values%s, but %s has %,d: copy the model"
                                    + " folder again, or put %s's parameters there.",
                            params,
                            file.values(),
                            whose,
                            info.name(),
                            expected,
                            info.name()));
        }
        if (info.parametersCrc32c() != null) {
            String crc = ParamsFile.crc32c(params);
            if (!crc.equals(info.parametersCrc32c())) {
                throw new InvalidModelException(
                        params
                                + " is damaged: its CRC-32C is "
                                + crc
                                + ", but "
                                + SavedModel.INFO_FILE
                                + " records "
                                + info.parametersCrc32c()
                                + " for it; copy the model folder again.");
            }
        }
    }
}
