package io.github.depthsweep.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The C allocator this process runs on. PyTorch's CPU tensors come from it, so it decides how fast
 * a training step allocates its activations and whether resident memory stays flat; with glibc's
 * malloc each large tensor is fresh memory from the kernel, which tcmalloc reuses instead ({@code
 * docs/results/speed.md} has the measurements).
 */
enum NativeAllocator {
    /** gperftools' tcmalloc, preloaded (Debian: {@code libtcmalloc-minimal4}). */
    TCMALLOC("tcmalloc"),
    /** jemalloc, preloaded. */
    JEMALLOC("jemalloc"),
    /** The C library's own malloc. */
    SYSTEM("system malloc");

    /** Where Debian and Ubuntu put tcmalloc, for the advice. */
    static final String TCMALLOC_PATH = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";

    private final String label;

    NativeAllocator(String label) {
        this.label = label;
    }

    /**
     * Returns the allocator loaded into this process, read from {@code /proc/self/maps}.
     *
     * @return the allocator; {@link #SYSTEM} where no other is loaded or {@code /proc} is missing
     */
    static NativeAllocator current() {
        try {
            List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
            if (maps.stream().anyMatch(line -> line.contains("libtcmalloc"))) {
                return TCMALLOC;
            }
            if (maps.stream().anyMatch(line -> line.contains("libjemalloc"))) {
                return JEMALLOC;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the system's allocator
        }
        return SYSTEM;
    }

    /**
     * Returns a one-line description for logs, with the way to tcmalloc where it is not in use.
     *
     * @return e.g. {@code allocator: tcmalloc}
     */
    String describe() {
        if (this != SYSTEM) {
            return "allocator: " + label;
        }
        String how =
                Files.isRegularFile(Path.of(TCMALLOC_PATH))
                        ? "start with LD_PRELOAD=" + TCMALLOC_PATH
                        : "apt-get install libtcmalloc-minimal4, then start with LD_PRELOAD="
                                + TCMALLOC_PATH;
        return "allocator: "
                + label
                + " (tcmalloc trains faster and keeps memory flat: "
                + how
                + "; README, 'Speed and memory')";
    }
}
