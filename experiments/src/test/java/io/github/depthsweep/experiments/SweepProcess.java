package io.github.depthsweep.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code depthsweep ARGS} in a JVM of its own, for tests that signal or kill it. */
final class SweepProcess {

    private final Process process;
    private final Path log;

    private SweepProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the sweep with this JVM's class path and Java.
     *
     * @param log where its output goes
     * @param args its arguments
     * @return the running process
     */
    static SweepProcess start(Path log, String... args) throws IOException {
        return startIn(Path.of("").toAbsolutePath(), log, args);
    }

    /**
     * Starts the sweep in a working directory of its own, as a user starts it from a folder of
     * theirs: relative paths and the default run folder resolve there.
     *
     * @param workingDirectory the folder it runs in
     * @param log where its output goes
     * @param args its arguments
     * @return the running process
     */
    static SweepProcess startIn(Path workingDirectory, Path log, String... args)
            throws IOException {
        // A suite started in the background (`mvn verify &`, nohup) hands its children SIGINT
        // ignored, and a JVM that starts with it ignored never hears Ctrl-C: env gives the sweep
        // the default back, as a terminal's foreground job has it, then becomes the sweep.
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "env",
                                "--default-signal=INT",
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                SweepCommand.class.getName()));
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command)
                        .directory(workingDirectory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        return new SweepProcess(process, log);
    }

    /**
     * Waits until a file exists, the process ends, or three minutes pass.
     *
     * @param file the file
     * @return whether the file exists
     */
    boolean awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(file) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return Files.exists(file);
    }

    /**
     * Waits until the output holds a text, the process ends, or three minutes pass.
     *
     * @param text the text
     * @return whether the output holds it
     */
    boolean awaitOutput(String text) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!output().contains(text) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        return output().contains(text);
    }

    /** Sends SIGTERM, as Slurm's time limit or {@code kill} does. */
    void terminate() {
        process.destroy();
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    }

    /** Sends SIGKILL: no handler, no cleanup. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * Waits for the process to end.
     *
     * @return its exit code
     */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(6, TimeUnit.MINUTES)) { // a loaded machine runs a 20-step cell slowly
            process.destroyForcibly();
        }
        return process.waitFor();
    }

    /**
     * Returns what it printed so far.
     *
     * @return its output
     */
    String output() throws IOException {
        return Files.readString(log);
    }
}
