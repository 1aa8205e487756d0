package io.github.depthsweep.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The log level reaches libtorch: its C++ warnings are gated by c10's {@code
 * FLAGS_caffe2_log_level} (0 INFO, 1 WARNING, 2 ERROR), which stays at WARNING in a DJL process
 * unless something reads {@code TORCH_CPP_LOG_LEVEL}. The wait policy can only be seen in a fresh
 * process: experiments' {@code LauncherIT} checks it through the jar.
 */
class PyTorchEnvironmentTest {

    @Test
    void libtorchLogsErrorsOnlyUnlessTheUserSaidOtherwise() throws Exception {
        assumeTrue(System.getenv(PyTorchEnvironment.LOG_LEVEL) == null, "the user's level wins");
        PyTorchEnvironment.apply();
        assertEquals("ERROR", PyTorchEnvironment.getenv(PyTorchEnvironment.LOG_LEVEL));
        String c10 =
                Files.readAllLines(Path.of("/proc/self/maps")).stream()
                        .filter(line -> line.contains("/libc10."))
                        .map(line -> line.substring(line.indexOf('/')))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("libtorch is not loaded"));
        int level =
                NativeLibrary.getInstance(c10)
                        .getGlobalVariableAddress("FLAGS_caffe2_log_level")
                        .getInt(0);
        assertEquals(2, level, "c10's log level: 2 is ERROR");
    }
}
