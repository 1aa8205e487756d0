package io.github.depthsweep.core.inference;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A DJL {@link Predictor} whose forward pass frees intermediate arrays as it goes, so that a batch
 * costs one layer's activations, not all of them.
 *
 * <p>DJL's own {@code Predictor} keeps every array the net computes for a batch until the batch is
 * done, which for the 50-layer nets is gigabytes for a batch of a few hundred images (the 50-layer
 * cells' peak in docs/results/speed.md). Here each child of a {@link SequentialBlock} (recursively)
 * runs in its own {@link NDManager}, closed as soon as the child's output exists: its input and
 * everything it computed inside go, only its output stays. The results are the same arrays computed
 * the same way.
 *
 * <pre>{@code
 * try (ZooModel<Image, Classifications> model = SavedModelCriteria.of(folder).loadModel();
 *         Predictor<Image, Classifications> predictor =
 *                 new FreeingPredictor<>(model, model.getTranslator())) {
 *     List<Classifications> results = predictor.batchPredict(images);
 * }
 * }</pre>
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class FreeingPredictor<I, O> extends Predictor<I, O> {

    /**
     * Creates a predictor on the model's device.
     *
     * @param model the model, loaded
     * @param translator the translator
     */
    public FreeingPredictor(Model model, Translator<I, O> translator) {
        super(model, translator, model.getNDManager().getDevice(), false);
    }

    /**
     * Runs the block in inference mode, freeing intermediate arrays as it goes.
     *
     * @param ctx the context
     * @param ndList the batch
     * @return the block's output, owned by the batch's manager
     */
    @Override
    protected NDList predictInternal(TranslatorContext ctx, NDList ndList) {
        if (ndList.isEmpty()) {
            return new NDList();
        }
        return forward(block, parameterStore, ndList);
    }

    /**
     * Runs a block in inference mode, freeing intermediate arrays as it goes: each child of a
     * {@link SequentialBlock} runs in a manager of its own, closed once the child's output has been
     * moved out of it; each branch of a {@link ParallelBlock} runs the same way on a view of the
     * inputs (sharing their memory), and the branches' outputs are joined as DJL joins them. Other
     * blocks, and a {@code SequentialBlock} that returns its intermediate outputs, run as DJL runs
     * them.
     *
     * @param block the block
     * @param parameters the parameters
     * @param inputs the inputs; consumed: freed once the first child has used them
     * @return the output, owned by the inputs' manager
     */
    public static NDList forward(Block block, ParameterStore parameters, NDList inputs) {
        if (block instanceof SequentialBlock sequence && !sequence.isReturnIntermediate()) {
            return sequence(sequence, parameters, inputs);
        }
        if (block instanceof ParallelBlock parallel && JOIN != null) {
            return parallel(parallel, parameters, inputs);
        }
        return block.forward(parameters, inputs, false);
    }

    private static NDList sequence(
            SequentialBlock sequence, ParameterStore parameters, NDList inputs) {
        NDManager owner = inputs.head().getManager();
        NDList current = inputs;
        for (Block child : sequence.getChildren().values()) {
            try (NDManager step = owner.newSubManager()) {
                current.attach(step); // what the child computes lands in its input's manager
                NDList output = forward(child, parameters, current);
                output.attach(owner); // survives the step; an output that is its input too
                current = output;
            }
        }
        return current;
    }

    private static NDList parallel(
            ParallelBlock parallel, ParameterStore parameters, NDList inputs) {
        List<NDList> branches = new ArrayList<>();
        for (Block branch : parallel.getChildren().values()) {
            // Each branch consumes its own view: the inputs stay for the next branch.
            NDList view = new NDList(inputs.size());
            for (NDArray array : inputs) {
                view.add(array.reshape(array.getShape()));
            }
            branches.add(forward(branch, parameters, view));
        }
        return join(parallel).apply(branches);
    }

    @SuppressWarnings("unchecked")
    private static Function<List<NDList>, NDList> join(ParallelBlock parallel) {
        try {
            return (Function<List<NDList>, NDList>) JOIN.get(parallel);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read ParallelBlock's join function.", e);
        }
    }

    /**
     * ParallelBlock's private join function, read so that its branches can run one child at a time.
     * (The Keras tutorial's residual nets put a whole stage inside one ParallelBlock: run as DJL
     * runs it, the stage's activations all live until it ends, most of a residual-50's memory per
     * image.) {@code null} where DJL's fields differ or cannot be read: then a ParallelBlock runs
     * as DJL runs it.
     */
    private static final Field JOIN = joinField();

    private static Field joinField() {
        try {
            Field field = ParallelBlock.class.getDeclaredField("function");
            if (!Function.class.isAssignableFrom(field.getType())) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
