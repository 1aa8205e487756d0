package io.github.depthsweep.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.depthsweep.cli.BadInputException;
import io.github.depthsweep.core.model.Architecture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which folders a sweep may write into, and which records it reads back from them. */
class RunFolderTest {

    private static final Protocol ONE_EPOCH =
            new Protocol("fashion-mnist", 1, 150, 1e-4f, 1e-6f, 300, 100, 2, "adam");
    private static final Protocol TWO_EPOCHS =
            new Protocol("fashion-mnist", 2, 150, 1e-4f, 1e-6f, 300, 100, 2, "adam");
    private static final PrintWriter LOG = new PrintWriter(new StringWriter(), true);

    @TempDir Path dir;

    /**
     * Workers of a cluster array start on one new folder at once: what the first is writing must
     * not make the others refuse the folder (a Slurm test once failed that way).
     */
    @Test
    void aFolderAnotherWorkerIsSettingUpIsAccepted() throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run.resolve("cells"));
        Files.writeString(run.resolve(".protocol.json.tmp-1mfl38wmcof93"), "{}");
        Files.writeString(run.resolve(".write-test5170461.tmp"), "");
        Files.writeString(run.resolve("sweep.log"), "depthsweep ...");

        assertEquals(run, RunFolder.create(run, LOG).root());
    }

    /**
     * The moment another worker claims the new folder: its {@value RunFolder#PROTOCOL_FILE} can
     * appear between any two looks at the folder, and must never read as a stranger's file (CI's
     * two workers once failed on "it holds other files (protocol.json) and no protocol.json").
     */
    @Test
    void aFolderClaimedWhileItIsCheckedIsAccepted() throws Exception {
        ExecutorService checker = Executors.newSingleThreadExecutor();
        try {
            for (int attempt = 0; attempt < 300; attempt++) {
                Path root = Files.createDirectories(dir.resolve("run" + attempt));
                CountDownLatch claimed = new CountDownLatch(1);
                Future<Integer> checks =
                        checker.submit(
                                () -> {
                                    int count = 0;
                                    do {
                                        RunFolder.checkUsable(root);
                                        count++;
                                    } while (claimed.getCount() > 0 || count < 3);
                                    return count;
                                });
                RunFolder.create(root, LOG).claim(ONE_EPOCH);
                claimed.countDown();
                try {
                    checks.get();
                } catch (ExecutionException e) {
                    throw new AssertionError("attempt " + attempt + ": " + e.getCause(), e);
                }
            }
        } finally {
            checker.shutdownNow();
        }
    }

    @Test
    void aFolderOfOtherFilesIsRefused() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(photos.resolve(".holiday.jpg.tmp-1a2b"), "a hidden file");

        IOException refusal = assertThrows(IOException.class, () -> RunFolder.create(photos, LOG));
        assertTrue(
                refusal.getMessage().contains("it holds other files (.holiday.jpg.tmp-1a2b)"),
                refusal.getMessage());
    }

    /**
     * A relative folder, as users give it (the default is {@code runs/PRESET}): every path made
     * from the root relativizes against every other (a checkpoint's once did not, and crashed).
     */
    @Test
    void aRelativeFolderIsHeldAbsolute() throws IOException {
        Path relative = Path.of("target", "run-folder-test-" + System.nanoTime());
        try {
            RunFolder folder = RunFolder.create(relative, LOG);
            assertTrue(folder.root().isAbsolute(), folder.root().toString());
            assertEquals(relative.toAbsolutePath(), folder.root());
            Cell cell = new Cell(Architecture.PLAIN, 4, 0);
            assertEquals(
                    Path.of("models", "plain-4-seed0"),
                    folder.root().relativize(folder.modelFolder(cell)));
        } finally {
            try (Stream<Path> files = Files.walk(relative)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void anEmptyOutIsRefusedBeforeAnythingIsCreated() {
        BadInputException refusal =
                assertThrows(BadInputException.class, () -> RunFolder.checkUsable(Path.of("")));
        assertEquals(
                "--out is empty: give a run folder, e.g. --out runs/mine.", refusal.getMessage());
    }

    /**
     * Two workers with other settings start on one new folder at once: exactly one claims it, the
     * other is refused in one line. The file is created with a hard link, which fails when the name
     * exists, so no check can be overtaken by the other's write.
     */
    @Test
    void ofTwoWorkersWithOtherSettingsExactlyOneClaimsANewFolder() throws Exception {
        Path run = dir.resolve("run");
        RunFolder first = RunFolder.create(run, LOG);
        RunFolder second = RunFolder.create(run, LOG);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<?> a = pool.submit(() -> claimAfter(go, first, ONE_EPOCH));
            Future<?> b = pool.submit(() -> claimAfter(go, second, TWO_EPOCHS));
            go.countDown();
            List<Throwable> refused = new ArrayList<>();
            for (Future<?> claim : List.of(a, b)) {
                try {
                    claim.get();
                } catch (ExecutionException e) {
                    refused.add(e.getCause());
                }
            }
            assertEquals(1, refused.size(), "exactly one is refused: " + refused);
            assertTrue(refused.get(0) instanceof BadInputException, refused.get(0).toString());
            assertTrue(refused.get(0).getMessage().contains("holds a sweep with other settings"));
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(
                    List.of(),
                    files.filter(f -> f.getFileName().toString().startsWith(".")).toList(),
                    "no temporary left behind");
        }
    }

    private static Void claimAfter(CountDownLatch go, RunFolder folder, Protocol protocol)
            throws Exception {
        go.await();
        folder.claim(protocol);
        return null;
    }

    @Test
    void aDamagedProtocolFileIsNamedInOneLine() throws IOException {
        Path run = dir.resolve("run");
        RunFolder.create(run, LOG);
        Files.writeString(run.resolve(RunFolder.PROTOCOL_FILE), "{\"epochs\": 0}");
        BadInputException refusal =
                assertThrows(
                        BadInputException.class, () -> RunFolder.create(run, LOG).claim(ONE_EPOCH));
        assertTrue(
                refusal.getMessage()
                        .startsWith(run.resolve(RunFolder.PROTOCOL_FILE) + " is damaged (epochs,"),
                refusal.getMessage());
    }

    /**
     * Every kind of bad cell record: a sweep names it in one line, sets it aside and trains the
     * cell again; {@code merge} (a folder read, not written) refuses, naming the file.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{}               | it lacks its id, variant, status, protocol or epochs",
                "null             | it holds no cell record",
                "{\"id\": tru     | it is not JSON of a cell record",
                "ANOTHER_CELL     | it is cell plain-8-seed0's, not plain-4-seed0's",
                "OTHER_PROTOCOL   | it was trained under other settings (2 epochs",
                "BOGUS_STATUS     | its status 'bogus' is neither finished nor failed",
                "NAN_ACCURACY     | its final test accuracy is NaN",
            })
    void aBadCellRecordIsSetAsideBySweepsAndRefusedByMerge(String content, String problem)
            throws IOException {
        Path run = dir.resolve("run");
        RunFolder sweep = RunFolder.create(run, LOG);
        sweep.claim(ONE_EPOCH);
        Path file = run.resolve("cells/plain-4-seed0.json");
        Files.writeString(file, record(content));
        Cell cell = new Cell(Architecture.PLAIN, 4, 0);

        BadInputException refusal =
                assertThrows(BadInputException.class, () -> RunFolder.existing(run).results());
        assertEquals(1, refusal.getMessage().lines().count());
        assertTrue(
                refusal.getMessage()
                        .startsWith(run + "/cells/plain-4-seed0.json cannot be used (" + problem),
                refusal.getMessage());

        StringWriter warnings = new StringWriter();
        RunFolder writing = RunFolder.create(run, new PrintWriter(warnings, true));
        writing.claim(ONE_EPOCH);
        assertEquals(Optional.empty(), writing.result(cell), "trained again");
        assertTrue(
                warnings.toString()
                        .startsWith("warning: cells/plain-4-seed0.json cannot be used (" + problem),
                warnings.toString());
        assertTrue(warnings.toString().endsWith("plain-4-seed0 will be trained again\n"));
        assertFalse(Files.exists(file));
        assertTrue(Files.exists(run.resolve("cells/plain-4-seed0.json.rejected")), "kept aside");
        assertEquals(List.of(), writing.results());
    }

    /**
     * The {@code paper} run's files, written before protocols named their dataset, read as
     * Fashion-MNIST's: the same command resumes it, and its cells are not set aside.
     */
    @Test
    void filesWrittenBeforeTheDatasetWasRecordedAreFashionMnist() throws IOException {
        Path paper = Path.of("../docs/results/paper");
        Protocol seeds =
                new Protocol("fashion-mnist", 25, 150, 1e-4f, 1e-6f, 60_000, 10_000, 50, "adam");
        Protocol old =
                RunFolder.JSON.readValue(paper.resolve("protocol.json").toFile(), Protocol.class);
        assertEquals(seeds, old);
        assertEquals(seeds, new Protocol(null, 25, 150, 1e-4f, 1e-6f, 60_000, 10_000, 50, null));
        assertFalse(old.describe().contains("mnist"), "logs read as they did: " + old.describe());
        Protocol mnist = new Protocol("mnist", 25, 150, 1e-4f, 1e-6f, 60_000, 10_000, 50, "adam");
        assertTrue(mnist.describe().startsWith("mnist, 25 epochs"), mnist.describe());

        Path run = dir.resolve("run");
        RunFolder.create(run, LOG);
        Files.copy(paper.resolve("protocol.json"), run.resolve(RunFolder.PROTOCOL_FILE));
        Files.copy(
                paper.resolve("cells/plain-12-seed0.json"),
                run.resolve("cells/plain-12-seed0.json"));
        assertThrows(BadInputException.class, () -> RunFolder.create(run, LOG).claim(mnist));
        RunFolder folder = RunFolder.create(run, LOG);
        folder.claim(seeds);
        CellResult cell = folder.result(new Cell(Architecture.PLAIN, 12, 0)).orElseThrow();
        assertEquals(seeds, cell.protocol());
    }

    @Test
    void aGoodCellRecordIsRead() throws IOException {
        Path run = dir.resolve("run");
        RunFolder folder = RunFolder.create(run, LOG);
        folder.claim(ONE_EPOCH);
        folder.save(cell("plain-4-seed0", 4, ONE_EPOCH, CellResult.FINISHED, 0.5));
        Cell cell = new Cell(Architecture.PLAIN, 4, 0);
        assertEquals(0.5, folder.result(cell).orElseThrow().finalTestAccuracy());
        assertEquals(1, RunFolder.existing(run).results().size());
    }

    private static String record(String content) throws IOException {
        CellResult result =
                switch (content) {
                    case "ANOTHER_CELL" ->
                            cell("plain-8-seed0", 8, ONE_EPOCH, CellResult.FINISHED, 0.5);
                    case "OTHER_PROTOCOL" ->
                            cell("plain-4-seed0", 4, TWO_EPOCHS, CellResult.FINISHED, 0.5);
                    case "BOGUS_STATUS" -> cell("plain-4-seed0", 4, ONE_EPOCH, "bogus", 0.5);
                    case "NAN_ACCURACY" ->
                            cell("plain-4-seed0", 4, ONE_EPOCH, CellResult.FINISHED, Double.NaN);
                    default -> null;
                };
        return result == null ? content : RunFolder.JSON.writeValueAsString(result);
    }

    private static CellResult cell(
            String id, int depth, Protocol protocol, String status, double accuracy) {
        List<EpochResult> epochs = new ArrayList<>();
        for (int e = 1; e <= protocol.epochs(); e++) {
            epochs.add(new EpochResult(e, 0.5, 0.8, 0.4, 0.5, null, 60, 1000, 900.0, 950.0));
        }
        return new CellResult(
                id,
                "plain",
                depth,
                0,
                status,
                null,
                protocol,
                100,
                "cpu()",
                epochs,
                accuracy,
                0.5,
                1,
                null,
                null,
                60,
                new GradientNorms(List.of(), List.of(), List.of()),
                null,
                List.of(),
                List.of(),
                List.of());
    }
}
