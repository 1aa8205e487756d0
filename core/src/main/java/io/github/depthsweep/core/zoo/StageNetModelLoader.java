package io.github.depthsweep.core.zoo;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.BaseModelLoader;
import io.github.depthsweep.core.inference.SavedModelBlockFactory;
import io.github.depthsweep.core.inference.SavedModelCriteria;
import io.github.depthsweep.core.inference.StageNetTranslatorFactory;
import io.github.depthsweep.core.model.SavedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * DJL's model loader for the zoo's {@value DepthsweepModelZoo#STAGENET} family: each artifact is a
 * saved-model folder, so the block is rebuilt from its {@value SavedModel#INFO_FILE} ({@link
 * SavedModelBlockFactory}) and images are translated by a {@link StageNetTranslatorFactory}
 * translator, the same two pieces {@link SavedModelCriteria} uses for a folder on disk.
 */
public final class StageNetModelLoader extends BaseModelLoader {

    StageNetModelLoader(MRL mrl) {
        super(mrl);
        defaultFactory = new StageNetTranslatorFactory();
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

    // The block is the one the saved info describes, unless the Criteria gives a block or factory.
    @Override
    protected Model createModel(
            Path modelPath,
            String name,
            Device device,
            Block block,
            Map<String, Object> arguments,
            String engine)
            throws IOException {
        arguments.putIfAbsent(SavedModelCriteria.BLOCK_FACTORY, new SavedModelBlockFactory());
        return super.createModel(modelPath, name, device, block, arguments, engine);
    }
}
