package io.github.depthsweep.experiments.system;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a figure came from: speeds differ between machines, so every cell and benchmark
 * records it.
 *
 * @param cpu the CPU's model name and x86 family and model numbers, from {@code /proc/cpuinfo} (the
 *     architecture elsewhere): virtual machines often show a bare "AMD EPYC", and the numbers tell
 *     its generation (family 25 is Zen 3 and 4, family 26 Zen 5)
 * @param cores the cores the JVM sees
 * @param threads PyTorch's intra-op threads
 * @param allocator the C allocator: tcmalloc, jemalloc or system malloc
 * @param engine the engine and its version, e.g. {@code PyTorch 2.7.1}
 */
public record Machine(String cpu, int cores, int threads, String allocator, String engine) {

    /**
     * Describes this machine; loads the engine if it is not loaded yet.
     *
     * @return this machine
     */
    public static Machine current() {
        Engine engine = Engine.getInstance();
        return new Machine(
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                JniUtils.getNumThreads(),
                NativeAllocator.current().label(),
                engine.getEngineName() + " " + engine.getVersion());
    }

    /**
     * Describes the machine in one line.
     *
     * @return e.g. {@code AMD EPYC (family 26 model 2), 2 cores | PyTorch 2.7.1, 2 threads |
     *     tcmalloc}
     */
    public String describe() {
        return String.format(
                "%s, %d cores | %s, %d threads | %s", cpu, cores, engine, threads, allocator);
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String name = field(lines, "model name");
            String family = field(lines, "cpu family");
            String model = field(lines, "model");
            if (name != null) {
                return family == null || model == null
                        ? name
                        : name + " (family " + family + " model " + model + ")";
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** Returns the first CPU's value of a {@code /proc/cpuinfo} field, or null. */
    private static String field(List<String> cpuinfo, String key) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
