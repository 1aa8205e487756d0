package io.github.depthsweep.experiments.run;

import java.util.List;

/**
 * What a cell recorded as it trained, step by step and epoch by epoch: what a checkpoint's {@link
 * CellProgress}, a finished cell's {@link CellResult} and the {@link CellRecord} of a cell in
 * training have in common. TensorBoard's events of a cell are written from it, so that they are the
 * same whether written live, rebuilt on resume or exported later.
 */
public interface CellHistory {

    /**
     * Returns the settings the cell trains under.
     *
     * @return the protocol
     */
    Protocol protocol();

    /**
     * Returns every step's training loss so far.
     *
     * @return the losses, step 1 first
     */
    List<Float> stepLosses();

    /**
     * Returns the gradient norms sampled so far.
     *
     * @return the norms
     */
    GradientNorms gradientNorms();

    /**
     * Returns the finished epochs' results.
     *
     * @return the results, epoch 1 first
     */
    List<EpochResult> epochs();

    /**
     * Returns the histograms of each part's weights at the end of each epoch.
     *
     * @return the histograms, epoch 1 first; empty in records written before they were kept
     */
    List<WeightHistograms> weightHistograms();

    /**
     * Returns the processes that trained the cell.
     *
     * @return the sessions, the first one first
     */
    List<CellProgress.Session> sessions();
}
