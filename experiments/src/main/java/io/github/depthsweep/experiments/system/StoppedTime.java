package io.github.depthsweep.experiments.system;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long this process has been stopped ({@code kill -STOP}, a suspended terminal job, a frozen
 * container), so that epoch times and images/s count the time it ran, not the time it waited. A
 * daemon thread wakes every {@link #TICK_MS} ms; a wake-up that comes far later than asked means
 * the whole process stood still meanwhile, and the delay beyond the tick is added up.
 */
public final class StoppedTime {

    /** How often the watcher wakes. */
    static final long TICK_MS = 100;

    /** A wake-up this much later than asked counts as a stop; shorter ones are scheduling noise. */
    static final long LATE_MS = 1000;

    private static final AtomicLong STOPPED_NANOS = new AtomicLong();

    static {
        Thread watcher = new Thread(StoppedTime::watch, "stopped-time");
        watcher.setDaemon(true);
        watcher.start();
    }

    private StoppedTime() {}

    /**
     * Returns the time this process has stood still since the watcher started, from a monotonic
     * clock: subtract two readings to get the stops between them.
     *
     * @return nanoseconds stopped
     */
    public static long nanos() {
        return STOPPED_NANOS.get();
    }

    /**
     * Returns the wall time since a start, less the time the process was stopped in between.
     *
     * @param startNanos {@link System#nanoTime()} at the start
     * @param stoppedAtStart {@link #nanos()} at the start
     * @return seconds the process ran
     */
    public static double runningSecondsSince(long startNanos, long stoppedAtStart) {
        long elapsed = System.nanoTime() - startNanos;
        long stopped = nanos() - stoppedAtStart;
        return Math.max(0, elapsed - stopped) / 1e9;
    }

    private static void watch() {
        long tick = TimeUnit.MILLISECONDS.toNanos(TICK_MS);
        long late = TimeUnit.MILLISECONDS.toNanos(LATE_MS);
        long last = System.nanoTime();
        while (true) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long overdue = now - last - tick;
            if (overdue > late) {
                STOPPED_NANOS.addAndGet(overdue);
            }
            last = now;
        }
    }
}
