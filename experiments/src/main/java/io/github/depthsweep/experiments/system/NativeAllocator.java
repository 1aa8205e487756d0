package io.github.depthsweep.experiments.system;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The C allocator this process runs on. PyTorch's CPU tensors come from it, so it decides how fast
 * a training step allocates its activations and whether resident memory stays flat: with glibc's
 * malloc each large tensor is fresh memory from the kernel, and its heap keeps freed pages until
 * {@link #releaseFreeMemory} returns them; tcmalloc reuses both ({@code docs/results/speed.md} has
 * the measurements).
 */
public enum NativeAllocator {
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
     * Returns the allocator's name.
     *
     * @return {@code tcmalloc}, {@code jemalloc} or {@code system malloc}
     */
    public String label() {
        return label;
    }

    /** Read once: a process cannot change its allocator once it runs. */
    private static final NativeAllocator CURRENT = detect();

    /**
     * Returns the allocator loaded into this process, read from {@code /proc/self/maps} at start.
     *
     * @return the allocator; {@link #SYSTEM} where no other is loaded or {@code /proc} is missing
     */
    public static NativeAllocator current() {
        return CURRENT;
    }

    private static NativeAllocator detect() {
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
     * Hands the C heap's free pages back to the kernel, where the allocator is glibc's: it keeps
     * the pages of freed tensors and, without this, a long run's resident memory climbs epoch after
     * epoch ({@code docs/results/speed.md}). tcmalloc and jemalloc reuse their pages, so this does
     * nothing on them, and nothing where the C library is not glibc.
     */
    public void releaseFreeMemory() {
        if (this == SYSTEM) {
            try {
                Glibc.INSTANCE.malloc_trim(0);
            } catch (LinkageError e) {
                // not glibc (musl, macOS): no malloc_trim, and nothing to do
            }
        }
    }

    /** glibc's {@code malloc_trim(3)}, loaded on first use. */
    private interface Glibc extends Library {
        Glibc INSTANCE = Native.load("c", Glibc.class);

        int malloc_trim(long pad);
    }

    /**
     * Returns a one-line description for logs, with the way to tcmalloc where it is not in use.
     *
     * @return e.g. {@code allocator: tcmalloc}
     */
    public String describe() {
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
                + " (tcmalloc trains faster and needs less memory: "
                + how
                + "; README, 'Speed and memory')";
    }
}
