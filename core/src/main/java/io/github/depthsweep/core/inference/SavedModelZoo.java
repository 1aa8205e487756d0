package io.github.depthsweep.core.inference;

import ai.djl.engine.Engine;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.DefaultModelZoo;
import ai.djl.repository.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.Set;

/**
 * The model zoo of one saved-model folder, what DJL's {@code Criteria.optModelPath} makes with its
 * own loader, made here with a {@link SavedModelLoader}, so that a folder loaded through {@link
 * SavedModelCriteria} is checked first and its model closed on every failure.
 */
final class SavedModelZoo extends ModelZoo {

    /**
     * Creates the zoo.
     *
     * @param folder the model's folder
     */
    SavedModelZoo(Path folder) {
        Repository repository = Repository.newInstance(folder.toString(), folder);
        for (MRL mrl : repository.getResources()) {
            addModel(new SavedModelLoader(mrl));
        }
    }

    /**
     * Returns DJL's group id of local models, as {@code Criteria.optModelPath} gives them.
     *
     * @return {@value DefaultModelZoo#GROUP_ID}
     */
    @Override
    public String getGroupId() {
        return DefaultModelZoo.GROUP_ID;
    }

    /**
     * Returns every engine DJL has: the nets are DJL blocks.
     *
     * @return the engines' names
     */
    @Override
    public Set<String> getSupportedEngines() {
        return Engine.getAllEngines();
    }
}
