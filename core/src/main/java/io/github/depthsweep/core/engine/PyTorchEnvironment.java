package io.github.depthsweep.core.engine;

import ai.djl.engine.Engine;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Sets what PyTorch's natives read from the environment once, as they load, then loads them: one
 * call, first thing in a program's {@code main}, before anything touches DJL's engine.
 *
 * <ul>
 *   <li>{@code GOMP_SPINCOUNT=10000}: the OpenMP runtime DJL's CPU natives carry (GNU libgomp)
 *       otherwise spins an idle thread about 300,000 times at every barrier before it sleeps, so a
 *       net trains 4-5x slower whenever another process holds one of the cores. With 10,000 spins
 *       it keeps 45-51% of its speed beside one busy thread instead of 19-25%, and loses under 2%
 *       on an idle machine; {@code OMP_WAIT_POLICY=PASSIVE} (no spin at all) keeps 60-65% but loses
 *       6-10% on an idle Intel Xeon (docs/results/speed.md, "A shared machine").
 *   <li>{@code TORCH_CPP_LOG_LEVEL=ERROR}: PyTorch's C++ warnings (such as NNPACK's "Could not
 *       initialize NNPACK! Reason: Unsupported hardware.", printed on every convolution on some
 *       CPUs) stay off stderr. libtorch reads the variable only when asked to, which PyTorch's
 *       Python module does and DJL does not, so this asks too, once the natives are loaded.
 * </ul>
 *
 * <p>A value the user set wins: {@code OMP_WAIT_POLICY} or {@code GOMP_SPINCOUNT} (e.g. {@code
 * GOMP_SPINCOUNT=300000}, libgomp's own default) leaves the spinning alone, and {@code
 * TORCH_CPP_LOG_LEVEL=WARNING} brings the warnings back. Where PyTorch's natives are loaded
 * already, the spin count can no longer change and only the log level is applied. On Windows this
 * does nothing; without the PyTorch engine it only sets the variables.
 */
public final class PyTorchEnvironment {

    /** OpenMP's wait policy, read by libgomp when it loads. */
    public static final String WAIT_POLICY = "OMP_WAIT_POLICY";

    /** libgomp's spin count, which overrides the policy's. */
    public static final String SPIN_COUNT = "GOMP_SPINCOUNT";

    /** libtorch's C++ log level: INFO, WARNING, ERROR or FATAL. */
    public static final String LOG_LEVEL = "TORCH_CPP_LOG_LEVEL";

    /** libgomp's spins before a waiting thread sleeps; its default is 300,000. */
    static final String SPINS = "10000";

    private static final String INIT_LOGGING = "_ZN3c1011initLoggingEv"; // c10::initLogging()

    private static boolean applied;

    private PyTorchEnvironment() {}

    /**
     * Sets the spin count and the log level unless the user set them, loads PyTorch's natives, and
     * applies the log level. Later calls do nothing.
     */
    public static synchronized void apply() {
        if (applied || Platform.isWindows()) {
            return;
        }
        applied = true;
        // libgomp reads its settings once, as it loads; where it is loaded already, it is too late
        if (!nativesLoaded() && getenv(WAIT_POLICY) == null && getenv(SPIN_COUNT) == null) {
            setenv(SPIN_COUNT, SPINS);
        }
        if (getenv(LOG_LEVEL) == null) {
            setenv(LOG_LEVEL, "ERROR");
        }
        try {
            Engine.getEngine("PyTorch");
        } catch (RuntimeException | LinkageError e) {
            return; // another engine, or none that loads: the command reports that where it runs
        }
        applyLogLevel();
    }

    /**
     * Says how PyTorch's OpenMP threads wait, for the lines that give a measurement's machine.
     *
     * @return e.g. {@code GOMP_SPINCOUNT=10000}, {@code OMP_WAIT_POLICY=PASSIVE}, or {@code
     *     OpenMP's default wait} where neither is set
     */
    public static String waitPolicy() {
        for (String name : List.of(WAIT_POLICY, SPIN_COUNT)) {
            String value = Platform.isWindows() ? null : getenv(name);
            if (value != null) {
                return name + "=" + value;
            }
        }
        return "OpenMP's default wait";
    }

    /**
     * Returns an environment variable as this process's C library sees it now, with what {@link
     * #apply} set (Java's {@link System#getenv} keeps the values the JVM started with).
     *
     * @param name the variable
     * @return its value, or null where it is not set
     */
    public static String getenv(String name) {
        return C.INSTANCE.getenv(name);
    }

    private static void setenv(String name, String value) {
        C.INSTANCE.setenv(name, value, 0);
    }

    /** Says whether libtorch is in this process already, from its memory map (Linux). */
    private static boolean nativesLoaded() {
        return library("libc10.").isPresent();
    }

    /** Has the loaded libtorch read {@code TORCH_CPP_LOG_LEVEL}, as Python's torch does. */
    private static void applyLogLevel() {
        try {
            library("libc10.")
                    .map(path -> NativeLibrary.getInstance(path.toString()))
                    .ifPresent(c10 -> c10.getFunction(INIT_LOGGING).invokeVoid(new Object[0]));
        } catch (UnsatisfiedLinkError e) {
            // a libtorch without c10::initLogging: its warnings stay as they were
        }
    }

    /** Finds a loaded shared library by the start of its file name, in /proc/self/maps. */
    private static Optional<Path> library(String prefix) {
        List<String> maps;
        try {
            maps = Files.readAllLines(Path.of("/proc/self/maps"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not Linux
        }
        return maps.stream()
                .filter(line -> line.indexOf('/') >= 0)
                .map(line -> Path.of(line.substring(line.indexOf('/'))))
                .filter(path -> path.getFileName().toString().startsWith(prefix))
                .findFirst();
    }

    /** The C library's environment, which native code reads. */
    private interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        String getenv(String name);

        int setenv(String name, String value, int overwrite);
    }
}
