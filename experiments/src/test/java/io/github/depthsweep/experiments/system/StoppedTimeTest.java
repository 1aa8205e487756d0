package io.github.depthsweep.experiments.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process stopped with {@code kill -STOP} for two seconds counts them as stopped, so that an
 * epoch interrupted that way reports the time it trained. The probe is a JVM of its own: a test
 * cannot stop itself.
 */
class StoppedTimeTest {

    /** Starts the watcher, says so, then prints the stopped seconds after {@code args[0]} ms. */
    public static void main(String[] args) throws InterruptedException {
        StoppedTime.nanos();
        System.out.println("ready");
        Thread.sleep(Long.parseLong(args[0]));
        System.out.println(StoppedTime.nanos() / 1e9);
    }

    @Test
    void twoSecondsOfSigstopAreCounted() throws Exception {
        Process probe = start(4000);
        try (BufferedReader out = reader(probe)) {
            assertEquals("ready", out.readLine());
            signal("STOP", probe);
            Thread.sleep(2000);
            signal("CONT", probe);
            double stopped = Double.parseDouble(out.readLine());
            assertTrue(stopped > 1.5 && stopped < 3, "stopped for 2 s, counted " + stopped);
        } finally {
            probe.destroyForcibly();
        }
    }

    @Test
    void aProcessThatRunsCountsNothing() throws Exception {
        Process probe = start(1500);
        try (BufferedReader out = reader(probe)) {
            assertEquals("ready", out.readLine());
            assertEquals(0.0, Double.parseDouble(out.readLine()));
        } finally {
            probe.destroyForcibly();
        }
    }

    private static Process start(long millis) throws IOException {
        return new ProcessBuilder(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                StoppedTimeTest.class.getName(),
                                Long.toString(millis)))
                .redirectErrorStream(true)
                .start();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void signal(String name, Process process)
            throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0);
    }
}
