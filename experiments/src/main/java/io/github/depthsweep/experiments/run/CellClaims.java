package io.github.depthsweep.experiments.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Which worker trains which cell, when several sweeps share one run folder (a job array on a shared
 * filesystem): {@code claims/ID.claim} names the worker that trains cell ID. A worker creates the
 * file atomically before it trains a cell, touches it every quarter of the timeout while it trains
 * (its heartbeat) as long as training makes progress, and deletes it when the cell has ended. A
 * claim whose heartbeat is older than the timeout (its worker died, hung, was stopped or lost its
 * host), or whose worker ran on this host and is gone, is taken over: the new owner resumes the
 * cell from the dead worker's last checkpoint.
 *
 * <p>Heartbeats compare file times with this machine's clock, so the timeout must exceed the clock
 * skew between the machines sharing the folder (NTP keeps it far below the default 120 s).
 */
public final class CellClaims implements AutoCloseable {

    /** How long a claim stays valid without a heartbeat, unless {@code --claim-timeout} says. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private final Path folder;
    private final Duration timeout;
    private final PrintWriter log;
    private final String worker;
    private final ScheduledExecutorService heartbeats;

    /**
     * Opens a run folder's claims for this process.
     *
     * @param root the run folder
     * @param timeout how long a claim stays valid without a heartbeat
     * @param log where take-overs are reported
     * @throws IOException if the claims folder cannot be created
     */
    public CellClaims(Path root, Duration timeout, PrintWriter log) throws IOException {
        this.folder = Files.createDirectories(root.resolve("claims"));
        this.timeout = timeout;
        this.log = log;
        this.worker = thisWorker();
        this.heartbeats =
                Executors.newSingleThreadScheduledExecutor(
                        task -> {
                            Thread thread = new Thread(task, "claim-heartbeat");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * Returns this worker's name: host, process id and start time.
     *
     * @return e.g. {@code node07:12345:1764336000000}
     */
    public String worker() {
        return worker;
    }

    /**
     * Claims a cell for this worker, unless a live worker holds it.
     *
     * @param cell the cell
     * @return the claim, held until closed; empty if another live worker trains the cell
     * @throws IOException if the claims folder cannot be read or written
     */
    public Optional<Claim> tryClaim(Cell cell) throws IOException {
        Path file = folder.resolve(cell.id() + ".claim");
        if (!create(file)) {
            Optional<String> holder = read(file);
            if (holder.isEmpty()) {
                return tryClaim(cell); // released just now: try again
            }
            String dead = deadReason(file, holder.get());
            if (dead == null) {
                return Optional.empty();
            }
            // Take over: only one of several workers can move the old claim away.
            Path aside = folder.resolve(cell.id() + ".claim." + worker.replace(':', '-'));
            try {
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return Optional.empty(); // another worker took it over first
            }
            Files.deleteIfExists(aside);
            if (!create(file)) {
                return Optional.empty();
            }
            log.printf("%s: taking over from worker %s, %s%n", cell.id(), holder.get(), dead);
            log.flush();
        }
        return Optional.of(new Claim(cell, file));
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
    }

    /**
     * Why a claim's worker is taken to be dead, or null if it may be alive: its heartbeat is older
     * than the timeout (it stopped making progress, on any host), its process on this host has
     * ended, or the claim is not a worker's at all.
     */
    private String deadReason(Path file, String holder) throws IOException {
        Duration silent =
                Duration.between(Files.getLastModifiedTime(file).toInstant(), Instant.now());
        if (silent.compareTo(timeout) > 0) {
            return "silent for "
                    + silent.toSeconds()
                    + " s (timeout "
                    + timeout.toSeconds()
                    + " s): it stopped, hung or lost its host";
        }
        String[] parts = holder.split(":");
        if (parts.length != 3 || !parts[1].matches("\\d{1,18}") || !parts[2].matches("\\d{1,18}")) {
            return "whose claim file is not a worker's ('"
                    + holder.lines().findFirst().orElse("")
                    + "')";
        }
        if (parts[0].equals(hostName())) {
            long pid = Long.parseLong(parts[1]);
            long started = Long.parseLong(parts[2]);
            boolean alive =
                    ProcessHandle.of(pid)
                            .flatMap(p -> p.info().startInstant())
                            .map(s -> Math.abs(s.toEpochMilli() - started) < 2000)
                            .orElse(false);
            return alive ? null : "whose process on this host has ended";
        }
        return null;
    }

    private boolean create(Path file) throws IOException {
        try {
            Files.writeString(file, worker, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static Optional<String> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String thisWorker() {
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        ProcessHandle self = ProcessHandle.current();
        long startInstant = self.info().startInstant().map(Instant::toEpochMilli).orElse(started);
        return hostName() + ":" + self.pid() + ":" + startInstant;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(':', '-');
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** A held claim: its heartbeat runs until it is closed, which releases the cell. */
    public final class Claim implements AutoCloseable {

        private final Cell cell;
        private final Path file;
        private final ScheduledFuture<?> heartbeat;
        private volatile long lastProgress = System.nanoTime();

        private Claim(Cell cell, Path file) {
            this.cell = cell;
            this.file = file;
            long every = Math.max(1, timeout.toMillis() / 4);
            this.heartbeat =
                    heartbeats.scheduleAtFixedRate(
                            this::touch, every, every, TimeUnit.MILLISECONDS);
        }

        /**
         * Checks that this worker still holds the claim: a worker that was paused for longer than
         * the timeout may have lost its cell to another, and must then not write its results.
         *
         * @throws ClaimLostException if another worker holds the cell now
         * @throws IOException if the claim cannot be read
         */
        public void check() throws IOException {
            Optional<String> holder = read(file);
            if (holder.isEmpty() || !holder.get().equals(worker)) {
                throw new ClaimLostException(
                        cell.id()
                                + ": worker "
                                + holder.orElse("(none)")
                                + " has taken this cell over (this worker was silent for longer"
                                + " than the claim timeout); leaving it to that worker");
            }
        }

        /**
         * Tells the claim that training has moved on (a step, or a batch of an evaluation). The
         * heartbeat beats only while this keeps coming: a worker whose process lives but makes no
         * progress (hung, or far too slow) goes silent, and after the timeout others take its cell
         * over, on its own host too.
         */
        public void progressed() {
            lastProgress = System.nanoTime();
        }

        private void touch() {
            if (System.nanoTime() - lastProgress > timeout.toNanos()) {
                return; // no progress: let the claim go stale
            }
            try {
                if (read(file).map(worker::equals).orElse(false)) {
                    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
                }
            } catch (IOException | RuntimeException e) {
                // the next beat tries again; a lost claim shows in check()
            }
        }

        /** Stops the heartbeat and deletes the claim, if this worker still holds it. */
        @Override
        public void close() throws IOException {
            heartbeat.cancel(false);
            if (read(file).map(worker::equals).orElse(false)) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Another worker has taken over a cell this worker was training. */
    public static final class ClaimLostException extends IOException {

        private static final long serialVersionUID = 1L;

        ClaimLostException(String message) {
            super(message);
        }
    }
}
