// The Adam levers, measured: how much of a training step the optimizer's update takes, and
// what skipping DJL's copy of every gradient, or updating all parameters in one flat tensor (what a
// multi-tensor Adam does in one pass), would save. A throwaway measurement, kept so that the
// figures in speed.md can be rerun; it changes nothing in the project.
//
//   mvn -q install -DskipTests
//   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \
//     java -cp experiments/target/depthsweep.jar docs/results/peers/AdamLevers.java plain-12,residual-50
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.github.depthsweep.core.engine.PyTorchEnvironment;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.core.training.ResumableAdam;
import java.util.ArrayList;
import java.util.List;

public class AdamLevers {

    static final int STEPS = 15;
    static final int WARMUP = 3;
    static final int REPEATS = 30;

    public static void main(String[] args) {
        PyTorchEnvironment.apply();
        for (String name : args[0].split(",")) {
            int dash = name.lastIndexOf('-');
            Architecture architecture = Architecture.parse(name.substring(0, dash));
            int depth = Integer.parseInt(name.substring(dash + 1));
            try (Model model = Model.newInstance(name)) {
                model.setBlock(architecture.build(depth, 10));
                ResumableAdam adam = PaperProtocol.adam(PaperProtocol.LEARNING_RATE, PaperProtocol.DECAY);
                DefaultTrainingConfig config = PaperProtocol.trainingConfig(adam);
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(StageNet.INPUT_SHAPE);
                    List<Parameter> trained = new ArrayList<>();
                    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                        if (p.getValue().requiresGradient()) {
                            trained.add(p.getValue());
                        }
                    }
                    long elements = trained.stream().mapToLong(p -> p.getArray().size()).sum();
                    System.out.printf("%s: %d trained tensors, %,d parameters%n", name, trained.size(), elements);
                    for (boolean direct : new boolean[] {false, true, false, true}) {
                        timeSteps(trainer, adam, trained, direct);
                    }
                    timeUpdateAlone(trained, elements);
                }
            }
        }
    }

    /** Trains steps, updating through Trainer.step() (DJL's LocalParameterServer) or directly. */
    static void timeSteps(Trainer trainer, ResumableAdam adam, List<Parameter> trained, boolean direct) {
        double forwardBackward = 0;
        double update = 0;
        for (int i = 0; i < WARMUP + STEPS; i++) {
            try (NDManager step = trainer.getManager().newSubManager()) {
                NDArray images = step.randomUniform(0, 1, new Shape(150, 1, 28, 28));
                NDArray labels =
                        step.randomInteger(0, 10, new Shape(150), DataType.INT64).toType(DataType.FLOAT32, false);
                long start = System.nanoTime();
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList scores = trainer.forward(new NDList(images));
                    collector.backward(trainer.getLoss().evaluate(new NDList(labels), scores));
                }
                long backwardEnd = System.nanoTime();
                if (direct) {
                    // the same update without LocalParameterServer's copy of each gradient
                    for (Parameter parameter : trained) {
                        NDArray weight = parameter.getArray();
                        try (NDArray gradient = weight.getGradient()) {
                            adam.update(parameter.getId(), weight, gradient);
                        }
                    }
                } else {
                    trainer.step();
                }
                long end = System.nanoTime();
                if (i >= WARMUP) {
                    forwardBackward += (backwardEnd - start) / 1e6;
                    update += (end - backwardEnd) / 1e6;
                }
            }
        }
        System.out.printf(
                "  %-38s update %5.2f ms of a %6.1f ms step (%.1f%%), mean of %d steps%n",
                direct ? "update without the gradient copies:" : "Trainer.step():",
                update / STEPS,
                (forwardBackward + update) / STEPS,
                100 * update / (forwardBackward + update),
                STEPS);
    }

    /** Adam's fused update alone, on arrays of the same shapes: one call per tensor, or one in all. */
    static void timeUpdateAlone(List<Parameter> trained, long elements) {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray[]> perTensor = new ArrayList<>();
            for (Parameter parameter : trained) {
                perTensor.add(arrays(manager, parameter.getArray().getShape()));
            }
            NDArray[] flat = arrays(manager, new Shape(elements));
            double separate = Double.MAX_VALUE;
            double one = Double.MAX_VALUE;
            double gatheredAndOne = Double.MAX_VALUE;
            for (int r = 0; r < REPEATS; r++) {
                long start = System.nanoTime();
                perTensor.forEach(AdamLevers::adamUpdate);
                long middle = System.nanoTime();
                adamUpdate(flat);
                long end = System.nanoTime();
                // a flat update needs the gradients in one tensor: gather them first
                try (NDManager scope = manager.newSubManager()) {
                    NDList gradients = new NDList();
                    perTensor.forEach(a -> gradients.add(a[1].reshape(-1)));
                    NDArray gathered = NDArrays.concat(gradients);
                    adamUpdate(new NDArray[] {flat[0], gathered, flat[2], flat[3]});
                }
                long last = System.nanoTime();
                separate = Math.min(separate, (middle - start) / 1e6);
                one = Math.min(one, (end - middle) / 1e6);
                gatheredAndOne = Math.min(gatheredAndOne, (last - end) / 1e6);
            }
            System.out.printf(
                    "  Adam's update alone, fastest of %d: one call per tensor %.2f ms, one flat call"
                            + " %.2f ms, gathering the gradients and one flat call %.2f ms%n",
                    REPEATS, separate, one, gatheredAndOne);
        }
    }

    static NDArray[] arrays(NDManager manager, Shape shape) {
        return new NDArray[] {
            manager.randomNormal(shape), manager.randomNormal(shape), manager.zeros(shape), manager.zeros(shape)
        };
    }

    /** The engine's fused Adam, as ResumableAdam calls it, with the seed's settings. */
    static void adamUpdate(NDArray[] a) {
        a[0].getNDArrayInternal()
                .adamUpdate(new NDList(a[0], a[1], a[2], a[3]), new NDList(a[0]), 1e-4f, 1e-4f, 0f, 1f, -1f,
                        0.9f, 0.999f, 1e-7f, true, false);
    }
}
