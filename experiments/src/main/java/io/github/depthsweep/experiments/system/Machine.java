package io.github.depthsweep.experiments.system;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a figure came from: speeds differ between machines, so every cell and benchmark
 * records it.
 *
 * @param cpu the CPU's model name, from {@code /proc/cpuinfo} (the architecture elsewhere)
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
     * @return e.g. {@code AMD EPYC, 2 cores | PyTorch 2.7.1, 2 threads | tcmalloc}
     */
    public String describe() {
        return String.format(
                "%s, %d cores | %s, %d threads | %s", cpu, cores, engine, threads, allocator);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
