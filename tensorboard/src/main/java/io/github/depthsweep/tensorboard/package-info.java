/**
 * TensorBoard event files written from Java, for any DJL project: {@link
 * io.github.depthsweep.tensorboard.EventWriter} writes scalars, histograms, PNG images and the
 * HParams plugin's session info in the TFRecord format TensorBoard reads, and {@link
 * io.github.depthsweep.tensorboard.TensorBoardListener} is a DJL {@code TrainingListener} that
 * writes a training run's loss, evaluations and weights with it. {@link
 * io.github.depthsweep.tensorboard.TfRecords} frames and reads the records. The messages are
 * TensorBoard's {@code Event} and {@code Summary}, encoded with protobuf-java's {@code
 * CodedOutputStream} by their field numbers, so neither TensorFlow nor generated classes are
 * needed.
 */
package io.github.depthsweep.tensorboard;
