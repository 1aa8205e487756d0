package io.github.depthsweep.experiments.sweep;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.listener.TrainingListener;
import ai.djl.translate.TranslateException;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.experiments.report.Reports;
import io.github.depthsweep.experiments.run.Cell;
import io.github.depthsweep.experiments.run.CellCheckpoints;
import io.github.depthsweep.experiments.run.CellClaims;
import io.github.depthsweep.experiments.run.CellResult;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.run.RunFolder;
import io.github.depthsweep.experiments.tensorboard.RunEvents;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a plan's cells into a run folder, one after another, longest first ({@link
 * SweepPlan#longestFirst}): skips the finished ones and those another worker is training ({@link
 * CellClaims}), resumes an unfinished one from its checkpoint, and rewrites the tables and plots
 * after each cell. Any number of sweeps can work on one folder this way. A stop signal ends it with
 * every finished cell and the current cell's checkpoint saved.
 */
public final class Sweep {

    private final SweepPlan plan;
    private final Protocol protocol;
    private final Device device;
    private final RunFolder folder;
    private final CellTrainer trainer;
    private final StopSignal stop;
    private final Duration claimTimeout;
    private final PrintWriter log;
    private final String rerun;
    private final Set<String> reported = new HashSet<>();
    private final RunEvents events;
    private boolean eventsFailed;

    /**
     * Prepares a sweep.
     *
     * @param plan the cells
     * @param protocol their settings, already claimed by the folder
     * @param device the device to train on
     * @param train the training data
     * @param test the test data
     * @param folder the run folder
     * @param checkpointEvery also checkpoint every this many steps; 0 for epochs only
     * @param claimTimeout how long another worker's claim on a cell stays valid without a heartbeat
     * @param stop the stop signal
     * @param listeners more listeners for every cell's training, told as DJL's own are
     * @param log where progress goes
     * @param rerun the command that resumes this sweep, for the line a stop ends with
     */
    public Sweep(
            SweepPlan plan,
            Protocol protocol,
            Device device,
            IdxDataset train,
            IdxDataset test,
            RunFolder folder,
            int checkpointEvery,
            Duration claimTimeout,
            StopSignal stop,
            List<TrainingListener> listeners,
            PrintWriter log,
            String rerun) {
        this.plan = plan;
        this.device = device;
        this.claimTimeout = claimTimeout;
        this.protocol = protocol;
        this.folder = folder;
        this.events = new RunEvents(folder.root().resolve(RunEvents.FOLDER), this::eventsFailed);
        this.trainer =
                new CellTrainer(
                        protocol,
                        device,
                        train,
                        test,
                        folder,
                        checkpointEvery,
                        stop,
                        listeners,
                        events,
                        log);
        this.stop = stop;
        this.log = log;
        this.rerun = rerun;
    }

    /** Rewrites the tables and plots, and the plots' TensorBoard run. */
    private void redraw() throws IOException {
        List<CellResult> results = folder.results();
        Reports.write(results, folder.root());
        events.plots(folder.root(), results.size());
    }

    /**
     * Warns once that TensorBoard's events are not written: training goes on, and the export writes
     * them from the cells' records later.
     */
    private synchronized void eventsFailed(IOException e) {
        if (!eventsFailed) {
            eventsFailed = true;
            log.printf(
                    "warning: TensorBoard events are not written (%s); training goes on, and"
                            + " depthsweep's `tensorboard %s --out DIR` writes them later from the"
                            + " cells' records%n",
                    RunEvents.describe(e), folder.root());
            log.flush();
        }
    }

    /** One pass over the cells in claim order; returns whether it trained any cell. */
    private boolean trainUnclaimedCells(
            List<Cell> order, CellClaims claims, SweepProgress progress, NDManager manager)
            throws IOException, TranslateException, StopSignal.Stopped {
        boolean trained = false;
        int index = 0;
        for (Cell cell : order) {
            index++;
            String label = "[" + index + "/" + order.size() + "]";
            Optional<CellResult> done = folder.result(cell);
            if (done.isPresent()) {
                if (!reported.contains(cell.id())) {
                    log.printf(
                            "%s %s: already %s, skipped%n", label, cell.id(), done.get().status());
                    reported.add(cell.id());
                }
                continue;
            }
            stop.stopIfRequested("every finished cell");
            Optional<CellClaims.Claim> claim = claims.tryClaim(cell);
            if (claim.isEmpty()) {
                if (reported.add(cell.id() + " busy")) {
                    log.printf(
                            "%s %s: being trained by another worker, skipped%n", label, cell.id());
                }
                continue;
            }
            try (CellClaims.Claim held = claim.get()) {
                if (folder.result(cell).isPresent()) {
                    continue; // it ended between the check above and the claim
                }
                CellResult result =
                        trainer.run(cell, label, progress, plan.epochWork(cell, manager), held);
                trained = true;
                reported.add(cell.id());
                if (!result.finished()) {
                    log.printf("%s %s failed: %s%n", label, cell.id(), result.failure());
                }
            } catch (CellClaims.ClaimLostException e) {
                log.printf("%s %s%n", label, e.getMessage());
                continue;
            }
            redraw();
        }
        return trained;
    }

    /**
     * Trains every cell of the plan that has not ended yet.
     *
     * @return 0 when every cell has ended, {@link StopSignal#EXIT_CODE} when a signal stopped it
     * @throws IOException if data or files cannot be read or written
     * @throws TranslateException if a batch cannot be made
     */
    public int run() throws IOException, TranslateException {
        try (NDManager manager = NDManager.newBaseManager()) {
            CellCheckpoints checkpoints = new CellCheckpoints(folder.root(), log);
            TimeLeft timeLeft = TimeLeft.of(plan, device, folder);
            double work = 0;
            double seconds = 0;
            int left = 0;
            for (Cell cell : plan.cells()) {
                int epochsLeft = plan.epochsLeft(cell, folder, checkpoints);
                if (epochsLeft > 0) {
                    left++;
                    work += epochsLeft * plan.epochWork(cell, manager);
                    seconds += timeLeft.seconds(cell, epochsLeft, manager);
                }
            }
            SweepProgress progress = new SweepProgress(work);
            if (left == 0) {
                log.printf("0 of %d cells to train%n", plan.cells().size());
            } else {
                log.printf(
                        "%d of %d cells to train: about %s here (%s); the ETA after each epoch"
                                + " uses the epochs' median speed%n",
                        left,
                        plan.cells().size(),
                        SweepProgress.format(Duration.ofSeconds(Math.round(seconds))),
                        timeLeft.sources());
            }
            try (CellClaims claims = new CellClaims(folder.root(), claimTimeout, log)) {
                // Passes until a pass trains nothing: cells whose worker died while this one
                // trained others become free in the meantime.
                List<Cell> order = plan.longestFirst(manager);
                boolean trained;
                do {
                    trained = trainUnclaimedCells(order, claims, progress, manager);
                } while (trained);
            } catch (StopSignal.Stopped e) {
                log.printf(
                        "%s. Resume: rerun the same command: %s (exit code %d)%n",
                        e.getMessage(), rerun, StopSignal.EXIT_CODE);
                redraw();
                return StopSignal.EXIT_CODE;
            }
        }
        List<String> busy = new ArrayList<>();
        for (Cell cell : plan.cells()) {
            if (folder.result(cell).isEmpty()) {
                busy.add(cell.id());
            }
        }
        if (!busy.isEmpty()) {
            log.printf(
                    "done here: %d cells are being trained by other workers (%s); the last one to"
                            + " finish writes the complete tables%n",
                    busy.size(), String.join(", ", busy));
            redraw();
            return 0;
        }
        redraw();
        log.printf("done: %s%n", folder.root().resolve("results.md"));
        return 0;
    }
}
