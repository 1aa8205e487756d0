package io.github.depthsweep.experiments;

import static io.github.depthsweep.experiments.SweepCommand.require;

import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.core.data.DatasetInfo;
import io.github.depthsweep.core.training.OptimizerRecipe;
import io.github.depthsweep.core.training.OptimizerRecipes;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.experiments.run.Protocol;
import io.github.depthsweep.experiments.sweep.Preset;
import java.util.Iterator;
import picocli.CommandLine.Option;

/**
 * The sweep's training settings on its command line: each option replaces its preset's value
 * ({@code --epochs}, {@code --lr}, the image limits ...), and {@link #protocol} makes them the
 * run's {@link Protocol}, refusing values that cannot train in one line each.
 */
final class ProtocolOptions {

    @Option(names = "--epochs", description = "Epochs per cell. Default: the preset's.")
    Integer epochs;

    @Option(
            names = "--batch-size",
            defaultValue = "" + PaperProtocol.BATCH_SIZE,
            description = "Images per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--optimizer",
            paramLabel = "NAME",
            completionCandidates = OptimizerNames.class,
            description =
                    "${COMPLETION-CANDIDATES}: adam is the seed's (Keras's Adam with its legacy"
                            + " decay); he2016 is He et al.'s SGD (momentum 0.9, weight decay"
                            + " 1e-4, the rate /10 at 50% and 75% of the steps); he2016-warmup"
                            + " is the same after He et al.'s warm-up, 400 steps at a tenth of"
                            + " the rate. Default: the preset's (adam; he2016 for --preset"
                            + " he2016).")
    String optimizer;

    @Option(
            names = "--lr",
            description =
                    "Initial learning rate. Default: the optimizer's (adam 1e-4, he2016 0.1).")
    Float learningRate;

    @Option(
            names = "--decay",
            description =
                    "Adam's legacy Keras decay: lr / (1 + decay * step). Default: 1e-6 for adam;"
                            + " he2016 refuses it (its rate follows its step schedule).")
    Float decay;

    @Option(
            names = "--train-limit",
            description = "Use the first N training images. Default: the preset's.")
    Integer trainLimit;

    @Option(
            names = "--test-limit",
            description = "Use the first N test images. Default: the preset's.")
    Integer testLimit;

    @Option(
            names = "--precise-bn",
            paramLabel = "BATCHES",
            description =
                    "Also measure test accuracy after re-estimating BatchNorm statistics on"
                            + " this many training batches; 0 turns it off. Default: the preset's.")
    Integer preciseBnBatches;

    /**
     * Returns the settings: the preset's, with the options given.
     *
     * @param preset the preset, whose settings an option left out keeps
     * @param dataset the dataset, whose split sizes bound the limits
     * @return the settings
     * @throws BadInputException if a value cannot train
     */
    Protocol protocol(Preset preset, DatasetInfo dataset) {
        OptimizerRecipe recipe =
                OptimizerRecipes.get(optimizer != null ? optimizer : preset.optimizer);
        require(
                decay == null || decay == 0 || recipe.defaultDecay() > 0,
                "--decay is Adam's legacy Keras decay, and "
                        + recipe.name()
                        + " has a step schedule of its own: leave --decay out.");
        Protocol protocol =
                new Protocol(
                        dataset.name(),
                        epochs != null ? epochs : preset.epochs,
                        batchSize,
                        learningRate != null ? learningRate : recipe.defaultLearningRate(),
                        decay != null ? decay : recipe.defaultDecay(),
                        trainLimit != null ? trainLimit : preset.trainLimit,
                        testLimit != null ? testLimit : preset.testLimit,
                        preciseBnBatches != null ? preciseBnBatches : preset.preciseBnBatches,
                        recipe.name());
        require(protocol.epochs() > 0, "--epochs must be at least 1, got " + protocol.epochs());
        require(batchSize > 0, "--batch-size must be at least 1, got " + batchSize);
        require(
                protocol.learningRate() > 0,
                "--lr must be above 0, got " + protocol.learningRate());
        require(protocol.decay() >= 0, "--decay must be 0 or more, got " + protocol.decay());
        requireLimit("--train-limit", protocol.trainLimit(), dataset, true);
        requireLimit("--test-limit", protocol.testLimit(), dataset, false);
        require(protocol.preciseBnBatches() >= 0, "--precise-bn must be 0 or more");
        String problem = protocol.problem();
        require(problem == null, "These settings cannot train: " + problem + ".");
        return protocol;
    }

    private static void requireLimit(String option, int limit, DatasetInfo dataset, boolean train) {
        int size = dataset.size(train);
        require(
                limit > 0 && limit <= size,
                String.format(
                        "%s must be 1 to %d (%s's %s images), got %d",
                        option, size, dataset.name(), train ? "training" : "test", limit));
    }

    /** The names {@code --optimizer} takes, for its help. */
    static final class OptimizerNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return OptimizerRecipes.names().iterator();
        }
    }
}
