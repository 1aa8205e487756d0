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
 * SavedModel#INFO_FILE} describes, so that DJL's model loaders can load its parameters. Each call
 * builds a new block, so one {@code Criteria} can load a model many times.
 */
public final class SavedModelBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /**
     * Builds the block of the model in {@code modelPath}, uninitialized.
     *
     * @param model the model being loaded
     * @param modelPath the model's folder
     * @param arguments ignored
     * @return the block
     * @throws IOException if the folder's info is missing or names an unknown architecture
     */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        return SavedModel.newBlock(SavedModel.checkLoadable(modelPath));
    }
}
