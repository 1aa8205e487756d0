package io.github.depthsweep.core.inference;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * DJL's {@link BlockFactory} for saved models: builds the block a model folder's {@value
 * SavedModel#INFO_FILE} describes, so that DJL's own model loaders can load its parameters, given
 * as the {@code Criteria} argument {@value SavedModelCriteria#BLOCK_FACTORY}. Each call builds a
 * new block, so one {@code Criteria} can load a model many times. depthsweep's own loader ({@link
 * SavedModelLoader}) builds the block itself.
 */
public final class SavedModelBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /**
     * Builds the block of the model in {@code modelPath}, uninitialized, once the folder has passed
     * {@link SavedModel#checkLoadable}. If it does not, the model DJL has just created for it is
     * closed, since DJL's loader would drop it open.
     *
     * @param model the model being loaded
     * @param modelPath the model's folder
     * @param arguments ignored
     * @return the block
     * @throws IOException if the folder is not a loadable model folder; the message says why
     */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        try {
            return SavedModel.newBlock(SavedModel.checkLoadable(modelPath));
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
