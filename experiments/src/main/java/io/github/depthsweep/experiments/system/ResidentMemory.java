package io.github.depthsweep.experiments.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory, from Linux's {@code /proc/self/status}: the JVM heap and
 * everything the native engine holds, which {@link Runtime} cannot see.
 */
public final class ResidentMemory {

    private ResidentMemory() {}

    /**
     * Returns the resident memory now ({@code VmRSS}).
     *
     * @return megabytes, or null where {@code /proc} is missing
     */
    public static Double currentMb() {
        return read("VmRSS:");
    }

    /**
     * Returns the peak resident memory so far ({@code VmHWM}).
     *
     * @return megabytes, or null where {@code /proc} is missing
     */
    public static Double peakMb() {
        return read("VmHWM:");
    }

    private static Double read(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String kilobytes = line.substring(field.length()).replace("kB", "").trim();
                    return Long.parseLong(kilobytes) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return null;
    }
}
