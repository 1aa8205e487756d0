package io.github.depthsweep.examples.consumer;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import io.github.depthsweep.core.engine.PyTorchEnvironment;
import io.github.depthsweep.core.data.Datasets;
import io.github.depthsweep.core.data.IdxDataset;
import io.github.depthsweep.core.inference.GrayscaleImages;
import io.github.depthsweep.core.nn.StageNet;
import io.github.depthsweep.core.nn.Variant;
import io.github.depthsweep.core.training.PaperProtocol;
import io.github.depthsweep.tensorboard.EventFiles;
import io.github.depthsweep.tensorboard.TensorBoardListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * depthsweep-core used the way another DJL project would use it: build residual-50 and train it
 * for a few steps with DJL's {@code EasyTrain}, then classify images with a trained net from
 * depthsweep's model zoo. Training writes TensorBoard events with depthsweep-tensorboard's
 * listener. The README quotes {@link #train} and {@link #classify}; CI runs this on
 * {@code app/samples} and fails when fewer than 8 of the 10 samples come out right.
 */
public final class Consumer {

    /** Where training writes its TensorBoard events: {@code tensorboard --logdir runs/tensorboard}. */
    static final Path EVENTS = Path.of("runs", "tensorboard", "residual-50");

    private Consumer() {}

    /**
     * Runs the example.
     *
     * @param args one folder of images named {@code DIGIT-name.png}, the digit being the class index
     * @throws Exception if training or classifying fails
     */
    public static void main(String[] args) throws Exception {
        PyTorchEnvironment.apply(); // first, before PyTorch loads: fast beside other jobs
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: Consumer FOLDER (images named DIGIT-name.png, e.g. app/samples)");
            System.exit(2);
        }
        float loss = train();
        System.out.printf("residual-50: 4 training steps, training loss %.3f%n", loss);
        if (!Float.isFinite(loss)) {
            System.err.println("error: the training loss is not finite");
            System.exit(1);
        }
        Path events = newest(EVENTS);
        // the file's version, a session start, then 4 steps and the epoch
        int written = EventFiles.read(events).size();
        System.out.printf("TensorBoard: %d events in %s%n", written, events);
        if (written != 7) {
            System.err.println("error: expected 7 TensorBoard events, not " + written);
            System.exit(1);
        }

        List<Path> images;
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            images = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
        List<String> predicted = classify(images);
        int right = 0;
        for (int i = 0; i < images.size(); i++) {
            String file = images.get(i).getFileName().toString();
            String expected = Datasets.FASHION_MNIST.classes().get(file.charAt(0) - '0');
            boolean ok = expected.equals(predicted.get(i));
            right += ok ? 1 : 0;
            System.out.printf("%-20s %-12s %s%n", file, predicted.get(i), ok ? "" : "(wrong)");
        }
        System.out.printf("%d of %d right%n", right, images.size());
        if (images.size() < 10 || right < 8) {
            System.err.println("error: expected at least 8 of 10 images right");
            System.exit(1);
        }
    }

    /**
     * Builds residual-50 and trains it for one epoch of the first 600 training images: 4 steps.
     *
     * @return the training loss
     * @throws Exception if the data cannot be read or training fails
     */
    static float train() throws Exception {
        Block net = StageNet.builder().setVariant(Variant.RESIDUAL).setDepth(50).build();
        try (Model model = Model.newInstance("residual-50");
                IdxDataset train =
                        IdxDataset.builder()
                                .optUsage(Dataset.Usage.TRAIN)
                                .optLimit(600)
                                .setSampling(PaperProtocol.BATCH_SIZE, true)
                                .build()) {
            model.setBlock(net);
            DefaultTrainingConfig config =
                    PaperProtocol.trainingConfig()
                            .addTrainingListeners(TrainingListener.Defaults.basic())
                            .addTrainingListeners(TensorBoardListener.builder(EVENTS).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(StageNet.INPUT_SHAPE);
                EasyTrain.fit(trainer, 1, train, null);
                return trainer.getTrainingResult().getTrainLoss();
            }
        }
    }

    /** The newest event file of a run's folder: this training's. */
    private static Path newest(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.max(Comparator.comparing(Path::getFileName)).orElseThrow();
        }
    }

    /**
     * Classifies images with the trained residual-12 from depthsweep's model zoo.
     *
     * @param images the image files
     * @return each image's most likely class
     * @throws Exception if the model cannot be loaded or an image cannot be read
     */
    static List<String> classify(List<Path> images) throws Exception {
        Criteria<Image, Classifications> criteria =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optGroupId("io.github.depthsweep")
                        .optArtifactId("stagenet")
                        .optFilter("variant", "residual")
                        .optFilter("depth", "12")
                        .build();
        try (ZooModel<Image, Classifications> model = criteria.loadModel();
                Predictor<Image, Classifications> predictor = model.newPredictor()) {
            List<String> best = new ArrayList<>();
            for (Path file : images) {
                Classifications result = predictor.predict(GrayscaleImages.read(file));
                best.add(result.best().getClassName());
            }
            return best;
        }
    }
}
