package io.github.depthsweep.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.nn.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ResumableAdam} is DJL's Adam bit for bit, and a {@link TrainingCheckpoint} restored into a
 * fresh network continues training exactly as if it had never stopped; damaged or foreign
 * checkpoints are refused before they change anything. Real Fashion-MNIST batches, plain-4.
 */
class TrainingCheckpointTest {

    private static NDManager manager;
    private static final List<NDList[]> BATCHES = new ArrayList<>();

    @TempDir Path dir;

    @BeforeAll
    static void readBatches() throws Exception {
        manager = NDManager.newBaseManager();
        try (IdxDataset data =
                IdxDataset.builder()
                        .optUsage(Usage.TRAIN)
                        .optLimit(600)
                        .setSampling(PaperProtocol.BATCH_SIZE, false)
                        .build()) {
            for (Batch batch : data.getData(manager)) {
                NDList images = batch.getData();
                NDList labels = batch.getLabels();
                images.attach(manager);
                labels.attach(manager);
                BATCHES.add(new NDList[] {images, labels});
            }
        }
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void resumableAdamIsDjlAdamBitForBit() {
        Adam djl =
                Adam.builder()
                        .optLearningRateTracker(new KerasInverseTimeDecay(1e-3f, 1e-2f))
                        .optEpsilon(PaperProtocol.ADAM_EPSILON)
                        .build();
        ResumableAdam ours =
                ResumableAdam.builder()
                        .optLearningRateTracker(new KerasInverseTimeDecay(1e-3f, 1e-2f))
                        .optEpsilon(PaperProtocol.ADAM_EPSILON)
                        .build();
        try (Model a = model(Variant.PLAIN);
                Model b = model(Variant.PLAIN);
                Trainer ta = trainer(a, djl, 1);
                Trainer tb = trainer(b, ours, 1)) {
            train(ta, 0, 6);
            train(tb, 0, 6);
            assertSameValues(values(a.getBlock()), values(b.getBlock()));
        }
    }

    @Test
    void restoredTrainingContinuesExactly() throws IOException {
        Path file = dir.resolve("plain-4.ckpt");
        List<String> uninterrupted;
        ResumableAdam adam = PaperProtocol.adam(1e-3f, 1e-2f);
        try (Model model = model(Variant.PLAIN);
                Trainer trainer = trainer(model, adam, 1)) {
            train(trainer, 0, 3);
            TrainingCheckpoint.save(file, model.getBlock(), adam, "{\"step\":3}");
            train(trainer, 3, 7);
            uninterrupted = values(model.getBlock());
        }
        // Another initialisation, so only the checkpoint can make the two runs agree.
        ResumableAdam resumed = PaperProtocol.adam(1e-3f, 1e-2f);
        try (Model model = model(Variant.PLAIN);
                Trainer trainer = trainer(model, resumed, 2)) {
            TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
            assertEquals("{\"step\":3}", checkpoint.metadata());
            checkpoint.restore(model.getBlock(), resumed);
            train(trainer, 3, 7);
            assertSameValues(uninterrupted, values(model.getBlock()));
        }
    }

    /**
     * SGD with momentum, He et al.'s recipe: its momentum buffers are checkpointed like Adam's
     * moments, and a resumed run is the uninterrupted one bit for bit, past the learning-rate drop
     * at step 5 too.
     */
    @Test
    void restoredSgdContinuesExactly() throws IOException {
        Path file = dir.resolve("plain-4-sgd.ckpt");
        List<String> uninterrupted;
        ResumableSgd sgd = ResumableSgd.he2016(10);
        try (Model model = model(Variant.PLAIN);
                Trainer trainer = trainer(model, sgd, 1)) {
            train(trainer, 0, 3);
            TrainingCheckpoint.save(file, model.getBlock(), sgd, "{}");
            train(trainer, 3, 8);
            uninterrupted = values(model.getBlock());
        }
        ResumableSgd resumed = ResumableSgd.he2016(10);
        try (Model model = model(Variant.PLAIN);
                Trainer trainer = trainer(model, resumed, 2)) {
            TrainingCheckpoint.read(file).restore(model.getBlock(), resumed);
            train(trainer, 3, 8);
            assertSameValues(uninterrupted, values(model.getBlock()));
        }
        ResumableSgd fresh = ResumableSgd.he2016(10);
        try (Model model = model(Variant.PLAIN);
                Trainer trainer = trainer(model, fresh, 2)) {
            TrainingCheckpoint.read(file).restore(model.getBlock(), fresh);
            ResumableSgd other = ResumableSgd.he2016(10);
            other.setState(
                    "x", fresh.state(model.getBlock().getParameters().get(0).getValue().getId()));
            assertEquals(3, other.state("x").updates(), "the update count travels too");
        }
    }

    /**
     * A checkpoint written before optimizers other than Adam could be saved (format 1, committed as
     * a test resource: a 3-to-2 linear layer after three Adam steps) still restores: runs in
     * progress resume on newer code.
     */
    @Test
    void aFormatOneCheckpointStillRestores() throws Exception {
        Path file = Path.of(TrainingCheckpointTest.class.getResource("adam-format1.ckpt").toURI());
        TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
        assertEquals("{\"written\": \"format 1\"}", checkpoint.metadata());
        assertEquals("{\"written\": \"format 1\"}", TrainingCheckpoint.readMetadata(file));
        ResumableAdam adam = ResumableAdam.builder().build();
        try (Model model = Model.newInstance("tiny")) {
            Block linear = ai.djl.nn.core.Linear.builder().setUnits(2).build();
            model.setBlock(linear);
            try (Trainer trainer =
                    model.newTrainer(
                            new ai.djl.training.DefaultTrainingConfig(Loss.l2Loss())
                                    .optOptimizer(adam))) {
                trainer.initialize(new ai.djl.ndarray.types.Shape(4, 3));
                checkpoint.restore(linear, adam);
                Parameter weight = linear.getParameters().get("weight");
                // The weights format-1 code printed when it wrote the file.
                float[] expected = {-0.1229f, 0.6389f, 0.7701f, -0.9069f, 1.3835f, -0.7276f};
                float[] actual = weight.getArray().toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-4, "weight " + i);
                }
                OptimizerState state = adam.state(weight.getId());
                assertEquals(3, state.updates());
                assertEquals(List.of("mean", "variance"), List.copyOf(state.arrays().keySet()));
            }
        }
    }

    @Test
    void damagedOrForeignCheckpointsAreRefusedBeforeAnythingChanges() throws IOException {
        Path file = dir.resolve("plain-4.ckpt");
        ResumableAdam adam = PaperProtocol.adam(1e-3f, 1e-2f);
        try (Model model = model(Variant.PLAIN);
                Trainer trainer = trainer(model, adam, 1)) {
            train(trainer, 0, 2);
            TrainingCheckpoint.save(file, model.getBlock(), adam, "{}");
        }
        byte[] good = Files.readAllBytes(file);

        Path truncated = Files.write(dir.resolve("truncated.ckpt"), Arrays.copyOf(good, 5000));
        assertMessage(truncated, "it is truncated or damaged");

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        assertMessage(
                Files.write(dir.resolve("flipped.ckpt"), flipped), "its checksum does not match");

        Path text = Files.writeString(dir.resolve("text.ckpt"), "not a checkpoint at all");
        assertMessage(text, "it is truncated or damaged");
        Path foreign = dir.resolve("foreign.ckpt");
        try (java.io.DataOutputStream out =
                new java.io.DataOutputStream(Files.newOutputStream(foreign))) {
            out.writeUTF("some-other-format");
        }
        assertMessage(foreign, "it is not a depthsweep checkpoint");

        ResumableSgd sgd = ResumableSgd.he2016(10);
        try (Model plain = model(Variant.PLAIN);
                Trainer trainer = trainer(plain, sgd, 1)) {
            List<String> before = values(plain.getBlock());
            TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
            InvalidCheckpointException e =
                    assertThrows(
                            InvalidCheckpointException.class,
                            () -> checkpoint.restore(plain.getBlock(), sgd));
            assertTrue(
                    e.getMessage()
                            .endsWith("it holds the state of adam, and this run trains with sgd."),
                    e.getMessage());
            assertSameValues(before, values(plain.getBlock()));
        }

        ResumableAdam other = PaperProtocol.adam(1e-3f, 1e-2f);
        try (Model residual = model(Variant.RESIDUAL);
                Trainer trainer = trainer(residual, other, 1)) {
            List<String> before = values(residual.getBlock());
            TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
            InvalidCheckpointException e =
                    assertThrows(
                            InvalidCheckpointException.class,
                            () -> checkpoint.restore(residual.getBlock(), other));
            assertTrue(e.getMessage().contains("another network"), e.getMessage());
            assertSameValues(before, values(residual.getBlock()));
        }
    }

    /** The message is exactly the one line a user sees: the file, then what is wrong with it. */
    private static void assertMessage(Path file, String fault) {
        InvalidCheckpointException e =
                assertThrows(InvalidCheckpointException.class, () -> TrainingCheckpoint.read(file));
        assertEquals("Checkpoint " + file + " cannot be used: " + fault + ".", e.getMessage());
    }

    private static Model model(Variant variant) {
        Model model = Model.newInstance(variant + "-4");
        model.setBlock(StageNet.builder().setVariant(variant).setDepth(4).build());
        return model;
    }

    /** A trainer whose network is initialised from {@code seed}. */
    private static Trainer trainer(Model model, Optimizer optimizer, int seed) {
        Trainer trainer =
                model.newTrainer(
                        new ai.djl.training.DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                .optOptimizer(optimizer));
        Engine.getInstance().setRandomSeed(seed);
        trainer.initialize(StageNet.INPUT_SHAPE);
        return trainer;
    }

    /**
     * Steps {@code from} to {@code to} - 1, each with its own dropout seed, cycling the batches.
     */
    private static void train(Trainer trainer, int from, int to) {
        for (int step = from; step < to; step++) {
            Engine.getInstance().setRandomSeed(1000 + step);
            NDList[] batch = BATCHES.get(step % BATCHES.size());
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList scores = trainer.forward(batch[0]);
                NDArray loss = trainer.getLoss().evaluate(batch[1], scores);
                collector.backward(loss);
            }
            trainer.step();
        }
    }

    /** Fails, naming the first parameter that differs, unless every byte is the same. */
    private static void assertSameValues(List<String> expected, List<String> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            String name = expected.get(i).substring(0, expected.get(i).indexOf(':'));
            assertTrue(expected.get(i).equals(actual.get(i)), name + " differs");
        }
    }

    /** Every parameter, BatchNorm statistics included, as its name and exact bytes. */
    private static List<String> values(Block block) {
        List<String> values = new ArrayList<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            byte[] bytes = parameter.getValue().getArray().toByteArray();
            values.add(parameter.getKey() + ":" + Base64.getEncoder().encodeToString(bytes));
        }
        return values;
    }

    @Test
    void valuesSeeEveryByte() {
        try (Model a = model(Variant.PLAIN);
                Model b = model(Variant.PLAIN);
                Trainer ta = trainer(a, PaperProtocol.adam(1e-3f, 1e-2f), 1);
                Trainer tb = trainer(b, PaperProtocol.adam(1e-3f, 1e-2f), 1)) {
            assertSameValues(values(a.getBlock()), values(b.getBlock()));
            train(tb, 0, 1);
            assertFalse(values(a.getBlock()).equals(values(b.getBlock())), "one step differs");
        }
    }
}
