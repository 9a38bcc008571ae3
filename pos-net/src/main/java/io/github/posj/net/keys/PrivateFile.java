package io.github.posj.net.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The small files of this package on disk: created with mode 0600 from the first instant (never a
 * moment readable by others), written whole and forced to the device with their directory, and read
 * whole with a bound on their size.
 */
final class PrivateFile {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private PrivateFile() {}

  /**
   * Creates {@code file} holding {@code content}, forced to the device with its directory entry.
   *
   * @throws FileAlreadyExistsException if there is a file (or anything else) at {@code file}
   * @throws IOException if it cannot be written; a file this call created is then removed
   */
  static void createNew(Path file, byte[] content) throws IOException {
    FileChannel channel = open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (channel) {
      writeFully(channel, content);
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
    forceDirectory(file);
  }

  /**
   * Replaces {@code file}'s content atomically: writes {@code temporary}, forces it, renames it to
   * {@code file} and forces the directory. A crash leaves either the old file or the new one whole,
   * and at most a stale {@code temporary}, which the next call removes.
   */
  static void replace(Path file, Path temporary, byte[] content) throws IOException {
    Files.deleteIfExists(temporary);
    try (FileChannel channel =
        open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      writeFully(channel, content);
      channel.force(true);
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory(file);
  }

  /**
   * Opens {@code file} with mode 0600 if this creates it. A file system without POSIX permissions
   * (Windows' NTFS, FAT) cannot take a mode at creation; there the file gets its directory's access
   * rules.
   */
  static FileChannel open(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> set = Set.of(options);
    try {
      return FileChannel.open(file, set, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, set);
    }
  }

  /**
   * The bytes of {@code file}, at most {@code maxBytes} and one more (so that a caller sees that it
   * is too long).
   *
   * @throws IllegalArgumentException if it is not a regular file (a directory, a FIFO, a device):
   *     such a file is never opened, so that a FIFO cannot block the caller
   */
  static byte[] read(Path file, int maxBytes) throws IOException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("it is not a regular file (a directory?)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(maxBytes + 1);
    }
  }

  /**
   * The mode of {@code file} ({@code 0644}) when its group or others have any access to it; empty
   * when only its owner has, or the file system has no POSIX permissions.
   */
  static OptionalInt sharedMode(Path file) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException | IOException e) {
      return OptionalInt.empty();
    }
    Set<PosixFilePermission> shared = EnumSet.noneOf(PosixFilePermission.class);
    shared.addAll(permissions);
    shared.removeAll(
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE));
    if (shared.isEmpty()) {
      return OptionalInt.empty();
    }
    int mode = 0;
    for (PosixFilePermission permission : permissions) {
      // The enum is declared in the order of the mode's bits, from 0400 down to 0001.
      mode |= 0400 >> permission.ordinal();
    }
    return OptionalInt.of(mode);
  }

  /** What went wrong, in words a user can act on, not an exception's Java name. */
  static String describe(IOException e) {
    String message = Objects.requireNonNullElse(e.getMessage(), "input/output error");
    if (e instanceof AccessDeniedException) {
      return "permission denied (" + message + ")";
    } else if (e instanceof NoSuchFileException) {
      return "no such file or directory (" + message + ")";
    }
    return message;
  }

  private static void writeFully(FileChannel channel, byte[] content) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(content);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void forceDirectory(Path file) {
    try (FileChannel directory =
        FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or force a directory; the entry is then as durable as the file
      // system makes it.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // The write already failed; that error is the one to report.
    }
  }
}
