package io.github.depthsweep.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import io.github.depthsweep.core.model.Architecture;
import io.github.depthsweep.core.model.ModelInfo;
import io.github.depthsweep.core.model.SavedModel;
import io.github.depthsweep.core.nn.StageNet;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and folders written atomically get the permissions of any new file (readable by the group
 * and others under umask 022, unlike {@code Files.createTempFile}'s 0600), and a failed write
 * leaves neither the target nor a temporary behind.
 */
class AtomicFilesTest {

    private static final Set<PosixFilePermission> READ_BY_OTHERS =
            Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    @TempDir Path dir;

    @Test
    void aWrittenFileHasTheContentAndTheUmasksPermissions() throws IOException {
        assumePosix();
        Path file = dir.resolve("cells").resolve("plain-12-seed0.json");
        List<Set<PosixFilePermission>> whileWritten = new ArrayList<>();
        AtomicFiles.write(
                file,
                out -> {
                    // The temporary: hidden, beside the target, and already of normal permissions.
                    List<Path> temporaries = entries(file.getParent());
                    assertEquals(1, temporaries.size(), temporaries.toString());
                    String name = temporaries.get(0).getFileName().toString();
                    assertTrue(name.startsWith(".plain-12-seed0.json.tmp-"), name);
                    whileWritten.add(Files.getPosixFilePermissions(temporaries.get(0)));
                    out.write("{}".getBytes(StandardCharsets.UTF_8));
                });

        assertEquals("{}", Files.readString(file));
        assertEquals(List.of(file), entries(file.getParent()));
        Set<PosixFilePermission> plain =
                Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        assertEquals(plain, Files.getPosixFilePermissions(file));
        assertEquals(plain, whileWritten.get(0));
        assumeUmask022(plain);
        assertTrue(Files.getPosixFilePermissions(file).containsAll(READ_BY_OTHERS));
    }

    @Test
    void aSavedModelFolderIsReadableByGroupAndOthers() throws IOException {
        assumePosix();
        Path folder = dir.resolve("models").resolve("plain-4-seed0");
        ModelInfo info = ModelInfo.of(Architecture.PLAIN, 4);
        try (Model model = Model.newInstance(info.name())) {
            model.setBlock(Architecture.PLAIN.build(4, info.classes().size()));
            model.getBlock()
                    .initialize(model.getNDManager(), DataType.FLOAT32, StageNet.INPUT_SHAPE);
            SavedModel.save(model, info, folder);
            SavedModel.save(model, info, folder); // replacing it works the same way
        }

        assertEquals(List.of(folder), entries(folder.getParent()));
        Set<PosixFilePermission> plainFolder =
                Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain-folder")));
        Set<PosixFilePermission> plainFile =
                Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain-file")));
        assertEquals(plainFolder, Files.getPosixFilePermissions(folder));
        List<Path> files = entries(folder);
        assertEquals(
                List.of(SavedModel.INFO_FILE, "plain-4-0000.params"),
                files.stream().map(f -> f.getFileName().toString()).sorted().toList());
        for (Path file : files) {
            assertEquals(plainFile, Files.getPosixFilePermissions(file), file.toString());
        }
        assumeUmask022(plainFile);
        assertTrue(Files.getPosixFilePermissions(folder).containsAll(READ_BY_OTHERS));
        assertTrue(
                Files.getPosixFilePermissions(folder)
                        .containsAll(
                                Set.of(
                                        PosixFilePermission.GROUP_EXECUTE,
                                        PosixFilePermission.OTHERS_EXECUTE)));
        for (Path file : files) {
            assertTrue(Files.getPosixFilePermissions(file).containsAll(READ_BY_OTHERS));
        }
    }

    @Test
    void aFailedWriteLeavesNeitherTheFileNorATemporary() throws IOException {
        Path file = dir.resolve("results.csv");
        IOException failure = new IOException("disk full");
        IOException thrown =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicFiles.write(
                                        file,
                                        out -> {
                                            out.write(new byte[1000]);
                                            throw failure;
                                        }));
        // A failure that names no file (a full disk's does not) is wrapped in one that does.
        assertSame(failure, thrown.getCause());
        assertEquals("cannot write " + file + ": disk full", thrown.getMessage());
        assertEquals(List.of(), entries(dir));
    }

    @Test
    void aFailedWriteKeepsTheOldFile() throws IOException {
        Path file = dir.resolve("results.csv");
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertThrows(
                IllegalStateException.class,
                () ->
                        AtomicFiles.write(
                                file,
                                out -> {
                                    out.write(new byte[] {4});
                                    throw new IllegalStateException("bug");
                                }));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertEquals(List.of(file), entries(dir));
    }

    @Test
    void aFailedFolderWriteLeavesNeitherTheFolderNorATemporary() throws IOException {
        Path folder = dir.resolve("models").resolve("plain-4-seed0");
        IOException failure = new IOException("engine failed");
        IOException thrown =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicFiles.writeFolder(
                                        folder,
                                        staging -> {
                                            Files.writeString(staging.resolve("part"), "half");
                                            Files.createDirectory(staging.resolve("sub"));
                                            throw failure;
                                        }));
        assertSame(failure, thrown.getCause());
        assertEquals("cannot write " + folder + ": engine failed", thrown.getMessage());
        assertEquals(List.of(), entries(folder.getParent()));
    }

    @Test
    void aFolderWriteReplacesTheOldFolderWhole() throws IOException {
        Path folder = dir.resolve("model");
        AtomicFiles.writeFolder(folder, staging -> Files.writeString(staging.resolve("a"), "1"));
        AtomicFiles.writeFolder(folder, staging -> Files.writeString(staging.resolve("b"), "2"));
        assertEquals(List.of(folder.resolve("b")), entries(folder));
        assertEquals(List.of(folder), entries(dir));
    }

    @Test
    void theTemporariesOfKilledWritesAreDeletedAndNothingElse() throws IOException {
        Path checkpoint = dir.resolve("plain-50-seed0.ckpt");
        Files.writeString(checkpoint, "latest");
        Files.writeString(dir.resolve(".plain-50-seed0.ckpt.tmp-1a2b"), "killed write");
        Files.createDirectory(dir.resolve(".plain-50-seed0.ckpt.tmp-3c4d"));
        Files.writeString(dir.resolve(".plain-50-seed0.ckpt.tmp-3c4d").resolve("x"), "part");
        Path other = Files.writeString(dir.resolve(".residual-50-seed0.ckpt.tmp-5e6f"), "other");

        assertTrue(AtomicFiles.isTemporary(AtomicFiles.temporaryName(checkpoint), checkpoint));
        assertFalse(AtomicFiles.isTemporary(other.getFileName().toString(), checkpoint));
        assertEquals(2, AtomicFiles.deleteTemporaries(checkpoint));
        assertEquals(List.of(other, checkpoint), entries(dir));
        assertEquals(0, AtomicFiles.deleteTemporaries(dir.resolve("missing").resolve("file")));
    }

    @Test
    void theContentMayCloseTheStream() throws IOException {
        Path file = dir.resolve("notes.txt");
        AtomicFiles.write(
                file,
                out -> {
                    try (Writer writer =
                            new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                        writer.write("closed early");
                    }
                });
        assertEquals("closed early", Files.readString(file));
    }

    private static void assumePosix() {
        assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "POSIX file permissions are not available here");
    }

    /** The group and others assertions hold under the usual umask only. */
    private static void assumeUmask022(Set<PosixFilePermission> plainFile) {
        assumeTrue(
                plainFile.equals(PosixFilePermissions.fromString("rw-r--r--")),
                "the umask is not 022: a new file gets "
                        + PosixFilePermissions.toString(plainFile));
    }

    /** Everything in a folder, hidden entries included, sorted. */
    private static List<Path> entries(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        }
    }
}
