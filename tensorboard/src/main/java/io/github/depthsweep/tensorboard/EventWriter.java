package io.github.depthsweep.tensorboard;

import com.google.protobuf.ByteString;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one TensorBoard event file: a run, in TensorBoard's words, when it is the only writer of
 * its folder. The file is named as TensorFlow names its own ({@code
 * events.out.tfevents.SECONDS.HOST.PID} and a suffix) and sorts after the folder's older ones, its
 * first record says {@code brain.Event:2}, and every event has a wall time.
 *
 * <pre>{@code
 * try (EventWriter events = EventWriter.builder(Path.of("runs/tensorboard/my-run")).build()) {
 *     events.summary(step).scalar("train/loss", loss).write();
 * }
 * }</pre>
 *
 * <p>Events are buffered and flushed every 30 seconds (or {@link Builder#optFlushEvery}), on {@link
 * #flush()} and on {@link #close()}, so that TensorBoard shows a run while it goes on.
 *
 * <p>Training matters more than its charts: a writer never throws. The first {@link IOException}
 * (an unwritable folder, a full disk) goes to the error handler ({@link Builder#optOnError}; by
 * default one warning in the log), and the writer writes nothing more.
 */
public final class EventWriter implements Closeable, Flushable {

    private static final Logger logger = LoggerFactory.getLogger(EventWriter.class);

    /** How every event file's name starts, as TensorFlow names them. */
    private static final String PREFIX = "events.out.tfevents.";

    /** Every writer's periodic flush, on one daemon thread. */
    private static final ScheduledExecutorService FLUSHER =
            Executors.newSingleThreadScheduledExecutor(
                    task -> {
                        Thread thread = new Thread(task, "tensorboard-flush");
                        thread.setDaemon(true);
                        return thread;
                    });

    private final Path directory;
    private final Consumer<IOException> onError;
    private final Set<String> described = new HashSet<>();
    private Path file;
    private OutputStream out;
    private ScheduledFuture<?> flushing;
    private IOException error;

    private EventWriter(Builder builder) {
        this.directory = builder.directory;
        this.onError = builder.onError;
        try {
            Files.createDirectories(directory);
            file = newFile(directory, builder.fileSuffix);
            out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.APPEND));
            // event.proto, Event: wall_time = 1, file_version = 3
            record(new Proto().double64(1, now()).string(3, "brain.Event:2"));
            out.flush();
        } catch (IOException e) {
            fail(e);
            return;
        }
        long period = builder.flushEvery.toMillis();
        flushing = FLUSHER.scheduleAtFixedRate(this::flush, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a writer that makes a new event file in a folder.
     *
     * @param directory the run's folder, made if missing
     * @return the builder
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * Starts an event: values that share a step, written together.
     *
     * @param step the step, e.g. the optimizer's update count
     * @return the event's summary; {@link Summary#write()} writes it
     */
    public Summary summary(long step) {
        return new Summary(this, step);
    }

    /**
     * Writes the start of a session at a step, as TensorFlow writes it when training restarts from
     * a checkpoint: TensorBoard then drops what it had read of this run at that step and after.
     *
     * @param step the first step of the session
     * @param wallTime the event's time, seconds since 1970-01-01 UTC
     */
    public void sessionStart(long step, double wallTime) {
        // event.proto, Event: wall_time = 1, step = 2, session_log = 7 {status = 1, START = 1}
        write(new Proto().double64(1, wallTime).int64(2, step).message(7, new Proto().int32(1, 1)));
    }

    /**
     * Writes the HParams plugin's session start info, so that TensorBoard's HParams tab lists this
     * run with these settings; its metrics are the run's scalars, their last values.
     *
     * @param hparams the settings, each a {@link Number}, {@link Boolean} or {@link String}
     * @param groupName the group the HParams tab puts this run in; runs of one group are one row
     * @param startTime when the session started, seconds since 1970-01-01 UTC
     * @throws IllegalArgumentException if a value is of another type
     */
    public void hparams(Map<String, ?> hparams, String groupName, double startTime) {
        // plugins/hparams/plugin_data.proto, SessionStartInfo: hparams = 1 (a map of
        // google.protobuf.Value: number_value = 2, string_value = 3, bool_value = 4),
        // group_name = 4, start_time_secs = 5
        Proto start = new Proto();
        hparams.forEach(
                (name, value) -> {
                    Proto entry =
                            new Proto().string(1, name).message(2, protobufValue(name, value));
                    start.message(1, entry);
                });
        start.string(4, groupName).double64(5, startTime);
        // HParamsPluginData: version = 1 (0), session_start_info = 3
        ByteString content = new Proto().message(3, start).toByteString();
        // The tensor of a metadata-only summary, as the HParams plugin writes it: an empty
        // float32 vector.
        Proto empty = new Proto().int32(1, 1).message(2, Summary.shape(0));
        Proto value =
                new Proto()
                        .string(1, "_hparams_/session_start_info")
                        .message(9, Summary.metadata("hparams", content, Summary.DATA_CLASS_TENSOR))
                        .message(8, empty);
        write(
                new Proto()
                        .double64(1, startTime)
                        .int64(2, 0)
                        .message(5, new Proto().message(1, value)));
    }

    private static Proto protobufValue(String name, Object value) {
        if (value instanceof Boolean bool) {
            return new Proto().int32(4, bool ? 1 : 0);
        }
        if (value instanceof Number number) {
            return new Proto().double64(2, number.doubleValue());
        }
        if (value instanceof String string) {
            return new Proto().string(3, string);
        }
        throw new IllegalArgumentException(
                "the hparam "
                        + name
                        + " is a "
                        + value.getClass().getSimpleName()
                        + "; TensorBoard takes numbers, booleans and strings");
    }

    /** Writes a summary's event: {@code Event}'s wall_time = 1, step = 2, summary = 5. */
    synchronized void write(Summary summary) {
        double time = Double.isNaN(summary.wallTime()) ? now() : summary.wallTime();
        write(
                new Proto()
                        .double64(1, time)
                        .int64(2, summary.step())
                        .message(5, summary.encode(described::add)));
    }

    private synchronized void write(Proto event) {
        if (out == null) {
            return;
        }
        try {
            record(event);
        } catch (IOException e) {
            fail(e);
        }
    }

    private void record(Proto event) throws IOException {
        TfRecords.write(out, event.toByteArray());
    }

    /** Flushes what is buffered to the file, where TensorBoard reads it. */
    @Override
    public synchronized void flush() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Flushes and closes the file. */
    @Override
    public synchronized void close() {
        if (flushing != null) {
            flushing.cancel(false);
        }
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            fail(e);
        } finally {
            out = null;
        }
    }

    /**
     * Returns the event file.
     *
     * @return its path, or empty if it could not be made
     */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * Returns the error that stopped this writer.
     *
     * @return the first failure to write, or empty if every event was written
     */
    public synchronized Optional<IOException> error() {
        return Optional.ofNullable(error);
    }

    private void fail(IOException e) {
        error = e;
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the first error is the one to report
            }
            out = null;
        }
        onError.accept(e);
    }

    private static Path newFile(Path directory, String suffix) throws IOException {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        // TensorBoard reads a folder's files in name order, taking the last as the newest: a new
        // file sorts after every one there, even one from a host whose clock ran ahead, and a name
        // taken (two writers in one second) gets the next second.
        long seconds = Math.max(Instant.now().getEpochSecond(), latestSeconds(directory) + 1);
        for (; ; seconds++) {
            Path file = directory.resolve(PREFIX + seconds + "." + host + "." + pid + suffix);
            try {
                return Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
        }
    }

    /** The largest SECONDS of the event files in a folder, or 0. */
    private static long latestSeconds(Path directory) throws IOException {
        long latest = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(PREFIX)) {
                    String seconds = name.substring(PREFIX.length()).split("\\.", 2)[0];
                    try {
                        latest = Math.max(latest, Long.parseLong(seconds));
                    } catch (NumberFormatException e) {
                        // not a name of this form: it does not matter to the order
                    }
                }
            }
        }
        return latest;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static double now() {
        Instant now = Instant.now();
        return now.getEpochSecond() + now.getNano() / 1e9;
    }

    /** The settings of a new {@link EventWriter}. */
    public static final class Builder {

        private final Path directory;
        private String fileSuffix = "";
        private Duration flushEvery = Duration.ofSeconds(30);
        private Consumer<IOException> onError;

        private Builder(Path directory) {
            this.directory = directory;
            this.onError =
                    e ->
                            logger.warn(
                                    "TensorBoard events for {} are not written from here on: {}",
                                    directory,
                                    e.toString());
        }

        /**
         * Ends the file's name with a suffix, e.g. to tell one's own files from others'.
         *
         * @param suffix the suffix, e.g. {@code .myproject}
         * @return this builder
         */
        public Builder optFileSuffix(String suffix) {
            this.fileSuffix = suffix;
            return this;
        }

        /**
         * Sets how often buffered events are flushed to the file.
         *
         * @param period the period; 30 seconds by default
         * @return this builder
         */
        public Builder optFlushEvery(Duration period) {
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("flush every " + period + "?");
            }
            this.flushEvery = period;
            return this;
        }

        /**
         * Sets what happens to the first error: the writer then writes nothing more.
         *
         * @param onError takes the error; by default it is logged as one warning
         * @return this builder
         */
        public Builder optOnError(Consumer<IOException> onError) {
            this.onError = onError;
            return this;
        }

        /**
         * Makes the folder and the event file, and writes the file's first record. It does not
         * throw: a failure goes to the error handler, and the writer writes nothing.
         *
         * @return the writer
         */
        public EventWriter build() {
            return new EventWriter(this);
        }
    }
}
