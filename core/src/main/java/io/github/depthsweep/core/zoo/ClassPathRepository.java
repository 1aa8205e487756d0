package io.github.depthsweep.core.zoo;

import ai.djl.repository.AbstractRepository;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Metadata;
import ai.djl.repository.Version;
import ai.djl.repository.VersionRange;
import ai.djl.util.JsonUtils;
import ai.djl.util.Progress;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A DJL repository inside depthsweep-core's jar: each model family has a {@code metadata.json}
 * (DJL's format, as on DJL's own model repository) at {@code ROOT/ARTIFACT_ID/}, and the artifacts'
 * files are class path resources named relative to {@code ROOT}. Preparing an artifact copies its
 * files into DJL's cache, checked against their SHA-1, as a download from DJL's remote repository
 * would; so it works offline and without the jar on the file system.
 *
 * <p>Why not DJL's {@code jar://} URLs: a {@code JarRepository} serves one zipped model per URL and
 * matches every filter (DJL issues 147 and 2950), so {@code variant}, {@code depth} and {@code
 * seed} could not choose between models. The resources are read through this class's own class
 * loader, so hosts whose context class loader hides core's jar still find them.
 */
final class ClassPathRepository extends AbstractRepository {

    private final String root;

    /**
     * Creates the repository.
     *
     * @param name the repository's name
     * @param root the class path folder that holds the model families, ending in {@code /}
     */
    ClassPathRepository(String name, String root) {
        super(name, URI.create("classpath:///" + root));
        this.root = root;
    }

    /**
     * Returns {@code true}: like a remote repository's, the files are copied into DJL's cache
     * before use.
     *
     * @return {@code true}
     */
    @Override
    public boolean isRemote() {
        return true;
    }

    /**
     * Reads a model family's {@code metadata.json}.
     *
     * @param mrl the model family
     * @return its metadata
     * @throws IOException if the jar has no metadata for it
     */
    @Override
    public Metadata locate(MRL mrl) throws IOException {
        try (Reader reader =
                new InputStreamReader(
                        open(mrl.getArtifactId() + "/metadata.json"), StandardCharsets.UTF_8)) {
            Metadata metadata = JsonUtils.GSON.fromJson(reader, Metadata.class);
            metadata.init(arguments);
            metadata.setRepositoryUri(mrl.toURI());
            return metadata;
        }
    }

    /**
     * Returns the newest artifact that has all the filter's properties, as DJL's remote repository
     * does.
     *
     * @param mrl the model family
     * @param filter the properties to match
     * @return the artifact, or {@code null} if none matches
     * @throws IOException if the jar has no metadata for the family
     */
    @Override
    public Artifact resolve(MRL mrl, Map<String, String> filter) throws IOException {
        List<Artifact> artifacts = locate(mrl).search(VersionRange.parse(mrl.getVersion()), filter);
        return artifacts.stream()
                .max(Comparator.comparing(artifact -> new Version(artifact.getVersion())))
                .orElse(null);
    }

    /**
     * Returns no resources: the zoo names its model families itself.
     *
     * @return an empty list
     */
    @Override
    public List<MRL> getResources() {
        return List.of();
    }

    @Override
    protected void download(Path tmp, URI baseUri, Artifact.Item item, Progress progress)
            throws IOException {
        try (InputStream in = open(item.getUri())) {
            save(in, tmp, item, progress);
        }
    }

    private InputStream open(String resource) throws IOException {
        InputStream in =
                ClassPathRepository.class.getClassLoader().getResourceAsStream(root + resource);
        if (in == null) {
            throw new FileNotFoundException(
                    "depthsweep-core's jar has no " + root + resource + "; is the jar complete?");
        }
        return in;
    }
}
