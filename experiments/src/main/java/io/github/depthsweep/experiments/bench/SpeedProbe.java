package io.github.depthsweep.experiments.bench;

import ai.djl.Device;
import io.github.depthsweep.core.model.Architecture;

/**
 * This machine's training speed, measured in about a second, so that a sweep's plan estimates the
 * wall time of the machine it runs on: the seed's nets train twice as fast on one 2-core CPU as on
 * another (docs/results/README.md).
 */
public final class SpeedProbe {

    private static final int WARMUP_STEPS = 2;
    private static final int TIMED_STEPS = 3;

    private SpeedProbe() {}

    /**
     * Times a few training steps of residual-20, mid-sized among the seed's nets, on random batches
     * of 150. Shallower nets do their multiply-adds somewhat slower and deeper ones faster, so a
     * sweep's total comes out about right, except that the first steps of a fresh process run
     * slower than a warm one's: on the Zen 5 of docs/results/ it put the {@code paper} preset at
     * 11-13 h, where the run took 8 h 16 min undisturbed (docs/results/paper/RUN.md).
     *
     * @param device where the sweep trains
     * @return multiply-adds per second, a training step counted as three forward passes
     */
    public static double multiplyAddsPerSecond(Device device) {
        try (ModelBench probe = ModelBench.open(Architecture.RESIDUAL, 20, device)) {
            for (int i = 0; i < WARMUP_STEPS; i++) {
                probe.trainStep();
            }
            return probe.trainRate(TIMED_STEPS) * probe.multiplyAdds() * 3;
        }
    }
}
