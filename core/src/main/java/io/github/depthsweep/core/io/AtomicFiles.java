package io.github.depthsweep.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a file or a folder atomically: readers never see a part of it. The content goes to a
 * hidden sibling, {@code .NAME.tmp-RANDOM}, which is then renamed over the target; on failure the
 * sibling is deleted. A file is synced before the rename, so a crash leaves the old file or the new
 * one; a folder replaces an older one by deleting it just before the rename (a folder cannot be
 * renamed over a full one), so a crash at that moment leaves neither.
 *
 * <pre>{@code
 * AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
 * AtomicFiles.write(file, out -> image.save(out, "png"));
 * AtomicFiles.writeFolder(folder, staging -> model.save(staging, name));
 * }</pre>
 *
 * <p>The sibling is created like any new file ({@code CREATE_NEW}, no attributes), so it gets the
 * permissions the process's umask gives, 0644 for a file and 0755 for a folder under umask 022,
 * unlike {@link Files#createTempFile}'s 0600 and 0700: results in a shared folder stay readable by
 * the group and others.
 */
public final class AtomicFiles {

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the whole content. Closing the stream is allowed and only flushes it.
         *
         * @param out the temporary file's stream, unbuffered
         * @throws IOException if the content cannot be written; the write is then abandoned
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Fills a folder. */
    @FunctionalInterface
    public interface FolderContent {
        /**
         * Writes everything the folder holds.
         *
         * @param folder the temporary folder, empty
         * @throws IOException if the content cannot be written; the write is then abandoned
         */
        void writeTo(Path folder) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Tries with a new random name when another process holds one (practically never). */
    private static final int ATTEMPTS = 100;

    private AtomicFiles() {}

    /**
     * Writes bytes to a file, atomically: see {@link #write(Path, Content)}.
     *
     * @param file the file; its folder is created if needed
     * @param content its whole content
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, byte[] content) throws IOException {
        write(file, out -> out.write(content));
    }

    /**
     * Writes a file atomically: the content goes to a temporary sibling, which is synced to disk
     * and renamed over the file; any older file is replaced only once the new one is whole. If the
     * content or the rename fails, the temporary is deleted and the file is as it was.
     *
     * @param file the file; its folder is created if needed
     * @param content what writes the content
     * @throws IOException if it cannot be written: the content's own exception, or the file
     *     system's; one that names no file (a full disk says only "No space left on device") is
     *     wrapped in one that names this file
     */
    public static void write(Path file, Content content) throws IOException {
        try {
            writeUnnamed(file, content);
        } catch (IOException e) {
            throw naming(file, e);
        }
    }

    private static void writeUnnamed(Path file, Content content) throws IOException {
        Path temporary = createTemporary(file, Files::createFile);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                content.writeTo(new UnclosedStream(Channels.newOutputStream(channel)));
                channel.force(true); // on disk before it replaces the last one
            }
            try {
                Files.move(
                        temporary,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Throwable e) {
            // Only on failure: once renamed, the name is free for another writer's temporary.
            delete(temporary, e);
            throw e;
        }
    }

    /**
     * Writes a folder atomically: it is filled under a temporary sibling name, then any older
     * folder of the same name is deleted and the new one renamed into place, so that the folder
     * appears whole or not at all. If filling or renaming fails, the temporary folder is deleted.
     *
     * @param folder the folder; its parent is created if needed
     * @param content what fills it
     * @throws IOException if it cannot be written: the content's own exception, or the file
     *     system's; one that names no file is wrapped in one that names this folder
     */
    public static void writeFolder(Path folder, FolderContent content) throws IOException {
        try {
            writeFolderUnnamed(folder, content);
        } catch (IOException e) {
            throw naming(folder, e);
        }
    }

    /**
     * Creates a file with its whole content unless the file exists: of several processes that try
     * at once, on any file system, exactly one succeeds, and readers never see it half-written. The
     * content goes to a temporary sibling first, then gets the file's name as a hard link, which
     * the file system refuses when the name exists (the way NFS lock files are made).
     *
     * @param file the file; its folder is created if needed
     * @param content its whole content
     * @return true if this call created it; false if the file existed (it is left alone)
     * @throws IOException if it cannot be written
     */
    public static boolean createExclusively(Path file, byte[] content) throws IOException {
        Path temporary = createTemporary(file, Files::createFile);
        try {
            Files.write(temporary, content);
            try {
                Files.createLink(file, temporary);
            } catch (UnsupportedOperationException e) {
                // no hard links here (some SMB shares): still exclusive, but briefly half-written
                Files.write(file, content, StandardOpenOption.CREATE_NEW);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw naming(file, e);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Names the file in a failure whose message does not (a file-system error's always does). */
    private static IOException naming(Path file, IOException e) {
        if (e instanceof FileSystemException) {
            return e;
        }
        return new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }

    private static void writeFolderUnnamed(Path folder, FolderContent content) throws IOException {
        Path staging = createTemporary(folder, Files::createDirectory);
        try {
            content.writeTo(staging);
            if (Files.exists(folder)) {
                deleteRecursively(folder);
            }
            try {
                Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, folder);
            }
        } catch (Throwable e) {
            delete(staging, e);
            throw e;
        }
    }

    /**
     * Deletes what killed writes of a file or folder left behind: its temporary siblings. A process
     * killed mid-write (kill -9, a power cut) cannot delete its own, and a checkpoint's is tens of
     * MB. Call it only where no other process can be writing the same target, e.g. when a cell's
     * claim is held.
     *
     * @param target the file or folder
     * @return how many temporaries were deleted
     * @throws IOException if the folder cannot be listed or a temporary cannot be deleted
     */
    public static int deleteTemporaries(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path sibling : siblings.toList()) {
                if (isTemporary(sibling.getFileName().toString(), target)) {
                    deleteRecursively(sibling);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /**
     * Tells whether a name is one of a target's temporary siblings: a write of it in progress, or
     * one a killed process left behind.
     *
     * @param name a file name in the target's folder
     * @param target the file or folder written
     * @return true for {@code .NAME.tmp-RANDOM}
     */
    public static boolean isTemporary(String name, Path target) {
        return name.startsWith(temporaryPrefix(target));
    }

    private static String temporaryPrefix(Path target) {
        return "." + target.getFileName() + ".tmp-";
    }

    /** Creates a file or a folder, with no attributes: the umask sets its permissions. */
    @FunctionalInterface
    private interface Creation {
        Path create(Path path) throws IOException;
    }

    /**
     * Creates the temporary sibling of a file or folder, and its parent folder if needed.
     *
     * @param target the file or folder to write
     * @param creation {@code Files::createFile} or {@code Files::createDirectory}, which fail if
     *     the name is taken
     * @return the temporary, new and empty
     * @throws IOException if it cannot be created
     */
    private static Path createTemporary(Path target, Creation creation) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        for (int attempt = 1; ; attempt++) {
            try {
                return creation.create(parent.resolve(temporaryName(target)));
            } catch (FileAlreadyExistsException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Returns the hidden temporary name for a file or folder: {@code .NAME.tmp-RANDOM}.
     *
     * @param target the file or folder
     * @return a new name each call
     */
    static String temporaryName(Path target) {
        return temporaryPrefix(target)
                + Long.toUnsignedString(RANDOM.nextLong(), Character.MAX_RADIX);
    }

    /** Deletes a failed write's temporary; a failure to do so is added to the write's failure. */
    private static void delete(Path temporary, Throwable failure) {
        try {
            if (Files.exists(temporary, LinkOption.NOFOLLOW_LINKS)) {
                deleteRecursively(temporary);
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /**
     * The temporary file's stream as the content sees it: closing it only flushes, so that the file
     * can still be synced afterwards; bulk writes go straight through.
     */
    private static final class UnclosedStream extends OutputStream {

        private final OutputStream out;

        UnclosedStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
