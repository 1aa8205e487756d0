package io.github.depthsweep.core.zoo;

import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import io.github.depthsweep.core.inference.SavedModelCriteria;
import io.github.depthsweep.core.inference.SavedModelLoader;
import io.github.depthsweep.core.inference.StageNetTranslatorFactory;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * DJL's model loader for the zoo's {@value DepthsweepModelZoo#STAGENET} family: each artifact is a
 * saved-model folder, so it loads as {@link SavedModelCriteria} loads one ({@link
 * SavedModelLoader}: the folder checked first, the block rebuilt from its {@value
 * SavedModel#INFO_FILE}, images translated by a {@link StageNetTranslatorFactory} translator, the
 * model closed if loading fails).
 */
public final class StageNetModelLoader extends SavedModelLoader {

    StageNetModelLoader(MRL mrl) {
        super(mrl);
    }

    /**
     * Returns the folder of the artifact the filters choose, copying it out of the jar into DJL's
     * cache on first use: a saved-model folder, for tools that read one ({@link SavedModel}).
     *
     * @param filters the properties to match: {@code variant}, {@code depth}, {@code seed}
     * @return the model's folder
     * @throws IOException if no artifact matches or its files cannot be copied; the message says
     *     which artifacts there are
     */
    public Path folder(Map<String, String> filters) throws IOException {
        Artifact artifact = mrl.match(filters);
        if (artifact == null) {
            throw new IOException(
                    "depthsweep's model zoo has no "
                            + getArtifactId()
                            + " with "
                            + filters
                            + "; it has "
                            + describeArtifacts()
                            + ".");
        }
        mrl.prepare(artifact);
        return mrl.getRepository().getResourceDirectory(artifact);
    }

    private String describeArtifacts() throws IOException {
        return mrl.listArtifacts().stream()
                .map(artifact -> artifact.getName() + " " + artifact.getProperties())
                .collect(Collectors.joining(", "));
    }
}
