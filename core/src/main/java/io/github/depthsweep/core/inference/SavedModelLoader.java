package io.github.depthsweep.core.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.BaseModelLoader;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * DJL's model loader for saved-model folders, the one both {@link SavedModelCriteria} and the model
 * zoo load through. Unlike DJL's own loader it checks the folder ({@link SavedModel#checkLoadable}:
 * its info, and its parameters by their headers, count and checksum) before any {@code Model}
 * exists, builds the block the info describes, and closes the model it created when loading then
 * fails, where DJL's loader drops it open for its finalizer to report ("Model: NAME was not closed
 * explicitly").
 */
public class SavedModelLoader extends BaseModelLoader {

    private final ThreadLocal<Model> loading = new ThreadLocal<>();

    /**
     * Creates the loader of a model or model family.
     *
     * @param mrl where the model's folders are
     */
    public SavedModelLoader(MRL mrl) {
        super(mrl);
        defaultFactory = new StageNetTranslatorFactory();
    }

    /**
     * Loads the model the criteria choose, closing it again if loading fails part way.
     *
     * @param criteria the criteria
     * @return the model with its translator; close it when done
     * @throws IOException if the folder is missing, breaks a rule, or its parameters do not match
     *     or are damaged; the message says which, in one line
     * @throws ModelNotFoundException if no model matches
     * @throws MalformedModelException if the engine cannot load the parameters
     */
    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        try {
            return super.loadModel(criteria);
        } catch (IOException
                | ModelNotFoundException
                | MalformedModelException
                | RuntimeException e) {
            Model created = loading.get();
            if (created != null) {
                created.close();
            }
            throw e;
        } finally {
            loading.remove();
        }
    }

    // The block is the one the folder's info describes, built once the folder passed its checks,
    // unless the Criteria gives a block or a block factory of its own.
    @Override
    protected Model createModel(
            Path modelPath,
            String name,
            Device device,
            Block block,
            Map<String, Object> arguments,
            String engine)
            throws IOException {
        Block built = block;
        if (built == null && !arguments.containsKey(SavedModelCriteria.BLOCK_FACTORY)) {
            built = SavedModel.newBlock(SavedModel.checkLoadable(modelPath));
        }
        Model model = super.createModel(modelPath, name, device, built, arguments, engine);
        loading.set(model);
        return model;
    }
}
