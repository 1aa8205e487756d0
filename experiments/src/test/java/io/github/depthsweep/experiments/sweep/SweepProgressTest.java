package io.github.depthsweep.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sweep's ETA: the work left at the epochs' median rate. */
class SweepProgressTest {

    @Test
    void noEtaBeforeAnEpochIsTimed() {
        SweepProgress progress = new SweepProgress(100);
        assertEquals("?", progress.eta());
        progress.done(10, 0); // a zero-second epoch gives no rate to divide by
        assertEquals("?", progress.eta());
    }

    @Test
    void oneSlowEpochDoesNotMoveTheEta() {
        SweepProgress progress = new SweepProgress(7_000);
        progress.done(1_000, 10); // 100 per second
        progress.done(1_000, 50); // beside a build: 20 per second
        progress.done(1_000, 10);
        // 4,000 left at the median 100 per second; the mean rate (3,000 in 70 s) would say 93 s.
        assertEquals("0:00:40", progress.eta());
    }

    @Test
    void theEtaFollowsAMachineThatStaysSlower() {
        SweepProgress progress = new SweepProgress(10_000);
        progress.done(1_000, 10);
        progress.done(1_000, 20);
        progress.done(1_000, 20);
        assertEquals("0:02:20", progress.eta(), "7,000 at 50 per s");
        progress.done(7_000, 1);
        assertEquals("0:00:00", progress.eta(), "nothing left");
    }

    @Test
    void anEpochResumedMidWayIsTimedByTheWorkDoneHere() {
        SweepProgress progress = new SweepProgress(3_000);
        // resumed near its end: 1,000 of work done, 100 of it here, in 10 s
        progress.donePartly(1_000, 100, 10);
        assertEquals("0:03:20", progress.eta(), "2,000 left at 10 per s, not at 100 per s");
        progress.done(1_000, 50);
        assertEquals("0:00:50", progress.eta(), "a whole epoch's rate replaces it: 20 per s");
        progress.donePartly(500, 500, 1); // a fast partial epoch no longer counts
        assertEquals("0:00:25", progress.eta());
    }

    @Test
    void aResumedEpochWithNothingTimedGivesNoRate() {
        SweepProgress progress = new SweepProgress(100);
        progress.donePartly(10, 0, 0);
        assertEquals("?", progress.eta());
    }

    @Test
    void formatsHoursMinutesAndSeconds() {
        assertEquals("12:05:09", SweepProgress.format(Duration.ofSeconds(43_509)));
    }
}
