package io.github.depthsweep.experiments.bench;

/**
 * The standard competing load of {@code bench --beside busy-thread}: one thread that keeps a core
 * busy, as another user's job does on a shared machine. PyTorch's OpenMP threads then find one core
 * taken, which is what made them spin away 2-4x of their speed (docs/results/speed.md, "A shared
 * machine").
 */
final class BusyThread implements AutoCloseable {

    private volatile boolean running = true;
    private final Thread thread;

    private BusyThread() {
        thread = new Thread(this::spin, "busy-thread");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts the load.
     *
     * @return the load, until closed
     */
    static BusyThread start() {
        return new BusyThread();
    }

    private void spin() {
        long x = 0;
        while (running) {
            x = x * 6364136223846793005L + 1442695040888963407L; // work the JIT cannot drop
        }
        if (x == 42) {
            System.out.print(""); // keeps x alive
        }
    }

    /** Stops the load and waits for its thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
