package io.github.depthsweep.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.core.training.ResumableAdam;
import io.github.depthsweep.core.training.ResumableSgd;
import io.github.depthsweep.core.training.TrainingCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A protocol names its optimizer, and every file written before it did (protocol.json, cell
 * records, checkpoints) reads back as Adam's, equal to the same settings with {@code adam}: runs in
 * progress resume on newer code.
 *
 * <p>The fixtures: {@code paper-protocol.json} is the paper run's ({@code
 * docs/results/paper/protocol.json}); {@code before-optimizer/} is a run folder written by the code
 * before this field (commit 9e3124e, {@code --preset smoke --variants plain --depths 4 --epochs 2
 * --train-limit 600 --test-limit 100 --precise-bn 2 --checkpoint-every 2}), with its finished
 * cell's record and, as {@code plain-4-seed0.step3.progress.json}, the metadata of the checkpoint
 * it wrote when stopped by SIGTERM at step 3.
 */
class ProtocolTest {

    /** The paper run's settings, as this code writes them. */
    private static final Protocol PAPER =
            new Protocol("fashion-mnist", 25, 150, 1e-4f, 1e-6f, 60_000, 10_000, 50, "adam");

    /** The settings the {@code before-optimizer} fixture was written under. */
    private static final Protocol BEFORE =
            new Protocol("fashion-mnist", 2, 150, 1e-4f, 1e-6f, 600, 100, 2, "adam");

    private static final Cell PLAIN_4 = new Cell(Architecture.PLAIN, 4, 0);

    @TempDir Path dir;

    @Test
    void thePaperRunsProtocolFileReadsBackAsAdamAndItsFolderResumes() throws Exception {
        Path run = Files.createDirectories(dir.resolve("paper/cells")).getParent();
        Files.copy(resource("paper-protocol.json"), run.resolve(RunFolder.PROTOCOL_FILE));
        Protocol read =
                RunFolder.JSON.readValue(
                        run.resolve(RunFolder.PROTOCOL_FILE).toFile(), Protocol.class);
        assertEquals("adam", read.optimizer());
        assertEquals(PAPER, read);
        assertNull(read.problem());
        assertEquals(
                "25 epochs, batch 150, Adam lr 1.0E-4 decay 1.0E-6, first 60,000 training and"
                        + " 10,000 test images, precise BN over 50 batches",
                read.describe(),
                "Adam's text as before");

        RunFolder folder = RunFolder.create(run, log(new StringWriter()));
        folder.claim(PAPER); // what resuming does; it refuses other settings:
        Protocol he2016 =
                new Protocol("fashion-mnist", 25, 150, 0.1f, 0, 60_000, 10_000, 50, "he2016");
        BadInputException e = assertThrows(BadInputException.class, () -> folder.claim(he2016));
        assertTrue(e.getMessage().contains("holds a sweep with other settings"), e.getMessage());
    }

    @Test
    void aCellRecordWrittenBeforeIsUsedNotSetAside() throws Exception {
        Path run = copyBeforeOptimizer();
        StringWriter said = new StringWriter();
        RunFolder folder = RunFolder.create(run, log(said));
        folder.claim(BEFORE);
        Optional<CellResult> result = folder.result(PLAIN_4);
        assertTrue(result.isPresent(), said.toString());
        assertEquals(BEFORE, result.get().protocol());
        assertEquals("", said.toString(), "no warning");
        assertTrue(Files.exists(run.resolve("cells/plain-4-seed0.json")), "not set aside");
    }

    @Test
    void aCheckpointWrittenBeforeResumesUnderAdamAndIsRefusedUnderHe2016() throws Exception {
        Path run = copyBeforeOptimizer();
        String metadata =
                Files.readString(resource("before-optimizer/plain-4-seed0.step3.progress.json"));
        CellCheckpoints checkpoints = new CellCheckpoints(run, log(new StringWriter()));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block network = plain4(manager);
            Files.createDirectories(run.resolve("checkpoints"));
            TrainingCheckpoint.save(
                    checkpoints.latest(PLAIN_4),
                    network,
                    PaperProtocol.adam(1e-4f, 1e-6f),
                    metadata);
            Path saved = dir.resolve("saved.ckpt");
            Files.copy(checkpoints.latest(PLAIN_4), saved);

            StringWriter said = new StringWriter();
            Optional<CellProgress> resumed =
                    new CellCheckpoints(run, log(said))
                            .restore(
                                    PLAIN_4,
                                    BEFORE,
                                    plain4(manager),
                                    PaperProtocol.adam(1e-4f, 1e-6f));
            assertTrue(resumed.isPresent(), said.toString());
            assertEquals(3, resumed.get().step());
            assertEquals(BEFORE, resumed.get().protocol());
            assertEquals("", said.toString(), "no warning");

            Files.copy(saved, checkpoints.latest(PLAIN_4), StandardCopyOption.REPLACE_EXISTING);
            Protocol he2016 = new Protocol("fashion-mnist", 2, 150, 0.1f, 0, 600, 100, 2, "he2016");
            StringWriter refused = new StringWriter();
            assertFalse(
                    new CellCheckpoints(run, log(refused))
                            .restore(PLAIN_4, he2016, plain4(manager), ResumableSgd.he2016(8))
                            .isPresent());
            assertTrue(
                    refused.toString()
                            .contains(
                                    "it was written under other settings (2 epochs,"
                                            + " batch 150, Adam lr 1.0E-4 decay 1.0E-6"),
                    refused.toString());
        }
    }

    @Test
    void he2016IsDescribedAndRefusesWhatItCannotTrainWith() {
        Protocol he2016 =
                new Protocol("fashion-mnist", 25, 150, 0.1f, 0, 60_000, 10_000, 50, "he2016");
        assertNull(he2016.problem());
        assertEquals(10_000, he2016.totalSteps());
        assertEquals(
                "25 epochs, batch 150, SGD momentum 0.9 lr 0.1, /10 after steps 5,000 and 7,500,"
                        + " weight decay 1.0E-4, first 60,000 training and 10,000 test images,"
                        + " precise BN over 50 batches",
                he2016.describe());
        assertInstanceOf(ResumableSgd.class, he2016.newOptimizer());
        assertInstanceOf(ResumableAdam.class, PAPER.newOptimizer());

        Protocol decayed =
                new Protocol("fashion-mnist", 25, 150, 0.1f, 1e-6f, 60_000, 10_000, 50, "he2016");
        assertTrue(decayed.problem().startsWith("he2016 takes no Keras decay"), decayed.problem());
        Protocol unknown =
                new Protocol("fashion-mnist", 25, 150, 0.1f, 0, 60_000, 10_000, 50, "lamb");
        assertEquals(
                "the optimizer 'lamb' is unknown (known: adam, he2016, he2016-warmup)",
                unknown.problem());
        assertTrue(unknown.describe().contains("unknown optimizer 'lamb'"), unknown.describe());
    }

    @Test
    void aProtocolFileNamingAnUnknownOptimizerIsDamaged() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run/cells")).getParent();
        Files.writeString(
                run.resolve(RunFolder.PROTOCOL_FILE),
                RunFolder.JSON.writeValueAsString(PAPER).replace("\"adam\"", "\"lamb\""));
        BadInputException e = assertThrows(BadInputException.class, () -> RunFolder.existing(run));
        assertTrue(
                e.getMessage().contains("is damaged (the optimizer 'lamb' is unknown"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    private Path copyBeforeOptimizer() throws IOException, URISyntaxException {
        Path run = Files.createDirectories(dir.resolve("before/cells")).getParent();
        Files.copy(
                resource("before-optimizer/protocol.json"), run.resolve(RunFolder.PROTOCOL_FILE));
        Files.copy(
                resource("before-optimizer/cells/plain-4-seed0.json"),
                run.resolve("cells/plain-4-seed0.json"));
        return run;
    }

    private static Block plain4(NDManager manager) {
        Block network = Architecture.PLAIN.build(4, Datasets.FASHION_MNIST.classes().size());
        network.initialize(manager, DataType.FLOAT32, StageNet.INPUT_SHAPE);
        return network;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ProtocolTest.class.getResource(name).toURI());
    }

    private static PrintWriter log(StringWriter to) {
        return new PrintWriter(to, true);
    }
}
