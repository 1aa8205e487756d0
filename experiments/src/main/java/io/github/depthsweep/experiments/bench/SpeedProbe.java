package io.github.depthsweep.experiments.bench;

import ai.djl.Device;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.experiments.system.Machine;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * This machine's training speed, measured in about a second, so that a sweep's plan estimates the
 * wall time of the machine it runs on: the seed's nets train twice as fast on one 2-core CPU as on
 * another (docs/results/README.md).
 */
public final class SpeedProbe {

    private static final int TIMED_STEPS = 4;

    /**
     * What each device measured in this process: a second sweep in one JVM (an application that
     * runs several, or the tests, which run dozens) reuses it instead of spending seconds again.
     */
    private static final Map<String, Speed> MEASURED = new HashMap<>();

    private SpeedProbe() {}

    /**
     * Times a few training steps of residual-20, mid-sized among the seed's nets, on random batches
     * of 150, and takes the fastest. Shallower nets do their multiply-adds somewhat slower and
     * deeper ones faster, so a sweep's total comes out about right, except that the estimate errs
     * long (docs/results/paper/RUN.md has how far).
     *
     * @param device where the sweep trains
     * @return multiply-adds per second, a training step counted as three forward passes
     */
    public static double multiplyAddsPerSecond(Device device) {
        return measure(device).multiplyAddsPerSecond();
    }

    /**
     * Times a few training steps as {@link #multiplyAddsPerSecond} does, and how much of the
     * processor this process had meanwhile: on a machine busy with other work the estimate is long.
     * Measured once per device and process.
     *
     * @param device where the sweep trains
     * @return the speed and the processor share
     */
    public static synchronized Speed measure(Device device) {
        return MEASURED.computeIfAbsent(device.toString(), d -> probe(device));
    }

    private static Speed probe(Device device) {
        try (ModelBench probe = ModelBench.open(Architecture.RESIDUAL, 20, device)) {
            probe.trainStep(); // the first step sets up what the later ones reuse
            long cpuStart = processCpuNanos();
            long wallStart = System.nanoTime();
            // The fastest step, not the mean: nothing makes a step faster than training's steady
            // pace, while a fresh process's page faults (many on glibc's malloc) and other work
            // make some slower (docs/results/paper/RUN.md has the steps' times).
            double fastest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < TIMED_STEPS; i++) {
                fastest = Math.min(fastest, probe.trainStep());
            }
            double rate = PaperProtocol.BATCH_SIZE / fastest * probe.multiplyAdds() * 3;
            long wall = System.nanoTime() - wallStart;
            long cpu = processCpuNanos() - cpuStart;
            int threads = Machine.current().threads();
            double share = device.isGpu() || cpuStart < 0 ? 1 : cpu / ((double) wall * threads);
            return new Speed(rate, Math.min(1, share), threads);
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    /**
     * What the probe measured.
     *
     * @param multiplyAddsPerSecond the training speed
     * @param cpuShare the share of its threads' time this process ran while it measured: near 1 on
     *     an idle machine, lower where other work took the processor
     * @param threads PyTorch's threads
     */
    public record Speed(double multiplyAddsPerSecond, double cpuShare, int threads) {

        /** Below this share the machine was busy, and the estimate says so. */
        static final double BUSY_BELOW = 0.8;

        /**
         * Says that the machine was busy while the probe measured, or nothing if it was not.
         *
         * @return e.g. {@code "; the machine was busy while it measured (this process had 41% of
         *     its 2 threads' time), so the estimate is long"}, or an empty string
         */
        public String busyNote() {
            if (cpuShare >= BUSY_BELOW) {
                return "";
            }
            return String.format(
                    "; the machine was busy while it measured (this process had %.0f%% of its %d"
                            + " threads' time), so the estimate is long",
                    100 * cpuShare, threads);
        }
    }
}
