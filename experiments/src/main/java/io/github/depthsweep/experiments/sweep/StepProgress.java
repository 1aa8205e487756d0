package io.github.depthsweep.experiments.sweep;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.github.depthsweep.experiments.system.StoppedTime;
import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how far a cell's epoch has come: a progress bar on a terminal, and without one (a log, a
 * batch job) a line every {@link #LINE_EVERY}, e.g. {@code [1/8] plain-8-seed0 epoch 1/3: step 11
 * of 20, 27 img/s}. Images a second count this process's training time only, with the time it was
 * stopped (SIGSTOP) left out.
 */
final class StepProgress extends TrainingListenerAdapter {

    /** Without a terminal, a progress line this often within an epoch. */
    static final Duration LINE_EVERY = Duration.ofMinutes(1);

    private final String task;
    private final int epochs;
    private final int stepsPerEpoch;
    private final PrintWriter log;
    private final boolean terminal = System.console() != null;
    private int step;
    private ProgressBar bar;
    private long images;
    private long start;
    private long stoppedAtStart;
    private long lastLine;

    /**
     * Progress for one cell.
     *
     * @param task the lines' prefix, e.g. {@code [1/8] plain-8-seed0}
     * @param epochs the cell's epochs
     * @param stepsPerEpoch the steps of one epoch
     * @param log where lines go
     */
    StepProgress(String task, int epochs, int stepsPerEpoch, PrintWriter log) {
        this.task = task;
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.log = log;
        restart();
    }

    /**
     * Sets the step training starts from, known once a checkpoint is read.
     *
     * @param fromStep 0, or a checkpoint's step
     */
    void startAt(int fromStep) {
        step = fromStep;
        restart();
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        int epoch = step / stepsPerEpoch + 1;
        int inEpoch = step % stepsPerEpoch;
        if (terminal && bar == null) {
            bar = newBar(epoch, inEpoch);
        }
        step++;
        images += batchData.getBatch().getSize();
        if (bar != null) {
            bar.step();
        } else if (System.nanoTime() - lastLine > LINE_EVERY.toNanos()) {
            lastLine = System.nanoTime();
            double seconds = StoppedTime.runningSecondsSince(start, stoppedAtStart);
            log.printf(
                    "%s epoch %d/%d: step %,d of %,d, %.0f img/s%n",
                    task,
                    epoch,
                    epochs,
                    inEpoch + 1,
                    stepsPerEpoch,
                    images / Math.max(seconds, 1e-9));
            log.flush();
        }
    }

    @Override
    public void onEpoch(Trainer trainer) {
        closeBar();
        restart();
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        closeBar();
    }

    private void restart() {
        images = 0;
        start = System.nanoTime();
        stoppedAtStart = StoppedTime.nanos();
        lastLine = start;
    }

    private ProgressBar newBar(int epoch, int done) {
        return new ProgressBarBuilder()
                .setTaskName(task + " epoch " + epoch)
                .setInitialMax(stepsPerEpoch)
                .startsFrom(done, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" steps", 1)
                .build();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
