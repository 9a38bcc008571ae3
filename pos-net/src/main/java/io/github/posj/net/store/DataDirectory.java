package io.github.posj.net.store;

import io.github.posj.core.store.ChainStoreException;
import io.github.posj.net.store.FileChainStore.AppendTarget;
import io.github.posj.net.store.FileChainStore.AppendTargetFactory;
import io.github.posj.net.store.FileChainStore.Durability;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A data directory's files, whatever chain format its chain file holds: the locks, the first
 * start's atomic creation, the torn-tail repairs, and durable, rolled-back, outside-change-checked
 * appends (docs/storage.md). {@link FileChainStore} (tutorial mode) and {@link
 * FileSignedChainStore} (network mode) read and check their lines; this class keeps the bytes.
 *
 * <p>Not thread-safe; confine to the store's owner.
 */
final class DataDirectory implements AutoCloseable {
  /** The temporary file a first start writes to, then renames. */
  private static final String NEW_FILE = FileChainStore.CHAIN_FILE + ".new";

  /** The temporary file a chain switch writes its journal to, then renames. */
  static final String NEW_SWITCH_JOURNAL = FileSignedChainStore.SWITCH_JOURNAL + ".new";

  /**
   * The data directories (real paths) that a store of this JVM has locked; checked before LOCK is
   * opened.
   */
  private static final Set<Path> LOCKED_DIRECTORIES = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final Path chainFile;
  private final Durability durability;
  private final AppendTargetFactory targets;
  private Path registeredDirectory;
  private FileChannel lockChannel;
  private FileChannel chainChannel;
  private FileLock chainLock;
  private FileLock lock;
  private AppendTarget target;
  private long size;
  private Object fileKey;
  private Optional<String> broken = Optional.empty();

  DataDirectory(Path directory, Durability durability, AppendTargetFactory targets) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    this.chainFile = this.directory.resolve(FileChainStore.CHAIN_FILE);
    this.durability = Objects.requireNonNull(durability, "durability");
    this.targets = Objects.requireNonNull(targets, "targets");
  }

  Path directory() {
    return directory;
  }

  Path chainFile() {
    return chainFile;
  }

  /**
   * Creates the directory if needed, locks it, and says whether a chain file is there to load
   * (true) or a first start may create one (false).
   *
   * @throws ChainStoreException if the directory cannot be made or locked, its chain file is not a
   *     readable regular file, or it is missing while the directory shows a previous life
   */
  boolean open() {
    if (Files.isSymbolicLink(directory) && !Files.exists(directory)) {
      throw new ChainStoreException(
          ChainFile.notARegularFile(directory).orElse(directory + " cannot be followed")
              + ". The server does not create a new data directory in its place: mount the disk or"
              + " restore the link's target, or choose another directory with --data-dir.");
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new ChainStoreException(
          "cannot create the data directory "
              + directory
              + ": "
              + describe(e)
              + ". Choose another with --data-dir, or run with --in-memory.",
          e);
    }
    // Looked at before acquireLock creates LOCK: a LOCK already there is a previous life.
    boolean lockExisted =
        Files.exists(directory.resolve(FileChainStore.LOCK_FILE), LinkOption.NOFOLLOW_LINKS);
    acquireLock();
    // Only a missing file in a directory without a previous life starts a new chain: the writer
    // creates the file whole and atomically, so an empty or partial one is damage from outside.
    if (Files.exists(chainFile, LinkOption.NOFOLLOW_LINKS)) {
      Optional<String> unreadable = ChainFile.notARegularFile(chainFile);
      if (unreadable.isPresent()) {
        close();
        throw new ChainStoreException(
            unreadable.get()
                + ". The server does not start a new chain over it: mount the disk, or put the"
                + " chain file back. "
                + startOver());
      }
      return true;
    }
    List<String> traces = previousLife(lockExisted);
    if (!traces.isEmpty()) {
      close();
      throw new ChainStoreException(
          chainFile
              + " is missing, but the data directory shows that it held a chain (found "
              + String.join(", ", traces)
              + "). posj never removes its chain file, so it was moved or deleted, or it lies"
              + " on a disk that is not mounted. Put it back. "
              + startOver());
    }
    return false;
  }

  /**
   * Writes a new chain file with {@code content}, whole and atomically (temporary file, rename).
   */
  void create(String content) throws IOException {
    writeWhole(directory.resolve(NEW_FILE), chainFile, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Locks the chain file too, so that a second server is refused even if LOCK was deleted by hand
   * while this one runs. Like LOCK's, this lock is lost if any other descriptor of the file in this
   * JVM is closed; the store therefore reads and repairs the file through this channel only.
   */
  void lockChainFile() throws IOException {
    chainChannel = FileChannel.open(chainFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      chainLock = chainChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      chainLock = null;
    }
    if (chainLock == null) {
      throw new ChainStoreException(
          chainFile
              + " is locked by another posj server, although the data directory's "
              + FileChainStore.LOCK_FILE
              + " was not (was "
              + FileChainStore.LOCK_FILE
              + " deleted by hand while that server ran?). Stop that server (lsof "
              + chainFile
              + " names it), or choose another directory with --data-dir.");
    }
  }

  /**
   * The chain file, streamed through the locked channel (never a second descriptor, whose closing
   * would release the lock). The stream is not to be closed: that would close the channel.
   */
  InputStream read() throws IOException {
    chainChannel.position(0);
    return Channels.newInputStream(chainChannel);
  }

  /** The chain file's size in bytes. */
  long fileSize() throws IOException {
    return chainChannel.size();
  }

  /**
   * Adds the newline a whole, valid last line of {@code length} bytes of the file lacks, and
   * returns the repair's message.
   */
  String completeNewline(long length, String what) throws IOException {
    ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
    while (newline.hasRemaining()) {
      chainChannel.write(newline, length + newline.position());
    }
    chainChannel.force(true);
    return "completed the final line of "
        + chainFile
        + ": "
        + what
        + " is whole and valid but its newline was missing; kept it and added the newline";
  }

  /**
   * Moves the torn bytes after the first {@code length} bytes of the file to {@value
   * FileChainStore#TORN_FILE} and cuts them from the file; returns the repair's message.
   */
  String dropTornTail(long length) throws IOException {
    byte[] tail = readTail(length);
    Path tornFile = directory.resolve(FileChainStore.TORN_FILE);
    keepTornBytes(tornFile, tail);
    chainChannel.truncate(length);
    chainChannel.force(true);
    return "dropped a torn final line of "
        + tail.length
        + " bytes from "
        + chainFile
        + " (a write was interrupted; that block had not been announced); the bytes were"
        + " appended to "
        + tornFile;
  }

  /** The chain switch journal's path ({@value FileSignedChainStore#SWITCH_JOURNAL}). */
  Path switchJournal() {
    return directory.resolve(FileSignedChainStore.SWITCH_JOURNAL);
  }

  /** Whether a chain switch journal is there: a switch that a crash interrupted. */
  boolean hasSwitchJournal() {
    return Files.exists(switchJournal(), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Deletes the temporary file of a switch journal that was never renamed into place (a crash while
   * a switch wrote it, before the chain file was touched), and returns the repair's message; empty
   * if there is none.
   */
  Optional<String> dropUnfinishedSwitchJournal() throws IOException {
    Path unfinished = directory.resolve(NEW_SWITCH_JOURNAL);
    if (!Files.deleteIfExists(unfinished)) {
      return Optional.empty();
    }
    forceDirectory();
    return Optional.of(
        "deleted "
            + unfinished
            + ", the journal of a chain switch that a crash interrupted before it was complete;"
            + " the switch had not begun, so the chain file holds the chain as it was before it");
  }

  /**
   * Completes an interrupted chain switch at a start, before {@link #startAppending}: moves the
   * bytes of the file after the first {@code keepLength} to {@value
   * FileSignedChainStore#ROLLED_BACK_FILE} (unless it already ends with exactly them), cuts them,
   * appends {@code lines}, forces, then deletes the journal. Failing half-way leaves the journal,
   * so the next start completes it again.
   */
  void completeSwitch(long keepLength, byte[] lines) throws IOException {
    long length = chainChannel.size();
    if (keepLength < length) {
      keepRolledBack(readChain(keepLength, length), true);
      chainChannel.truncate(keepLength);
    }
    ByteBuffer buffer = ByteBuffer.wrap(lines);
    while (buffer.hasRemaining()) {
      chainChannel.write(buffer, keepLength + buffer.position());
    }
    chainChannel.force(true);
    Files.delete(switchJournal());
    forceDirectory();
  }

  /**
   * Where the last {@code count} lines of the chain file end (the offset after each newline),
   * oldest first, found by reading back from its end: fewer if the file has fewer. For a file whose
   * lines all end in a newline, before {@link #startAppending}.
   */
  List<Long> lastLineEnds(int count) throws IOException {
    ArrayDeque<Long> ends = new ArrayDeque<>();
    long position = chainChannel.size();
    while (position > 0 && ends.size() < count) {
      long from = Math.max(0, position - 64 * 1024);
      byte[] bytes = readChain(from, position);
      for (int i = bytes.length - 1; i >= 0 && ends.size() < count; i--) {
        if (bytes[i] == '\n') {
          ends.addFirst(from + i + 1);
        }
      }
      position = from;
    }
    return new ArrayList<>(ends);
  }

  /**
   * Switches the chain file's tail, durably and so that a crash at any point leaves the old chain
   * or the new one at the next start (docs/storage.md, "Switching chains"): (a) writes {@code
   * journal} whole and atomically to {@value FileSignedChainStore#SWITCH_JOURNAL}, (b) appends the
   * lines after the first {@code keepLength} bytes to {@value
   * FileSignedChainStore#ROLLED_BACK_FILE}, (c) cuts them from the chain file, (d) appends {@code
   * lines}, (e) deletes the journal; the chain file is forced after (c) and (d) with {@link
   * Durability#FSYNC}, the other files always.
   *
   * @param keepLength where the line of the block the chains share ends
   * @param lines the new blocks' lines, each with its newline
   * @param what the switch, for messages
   * @throws ChainStoreException if a step failed: {@link ChainStoreException.State#INTACT} if the
   *     chain file is still the old one and no journal is left to switch it at a restart; {@link
   *     ChainStoreException.State#BROKEN} otherwise (the store refuses appends, a restart completes
   *     the switch from the journal)
   */
  void switchTail(byte[] journal, long keepLength, byte[] lines, String what) {
    Path journalFile = switchJournal();
    byte[] removed;
    try {
      removed = readChain(keepLength, size);
      writeWhole(directory.resolve(NEW_SWITCH_JOURNAL), journalFile, journal);
    } catch (IOException e) {
      throw switchFailed(what, "writing the journal " + journalFile, e, abandonSwitch());
    }
    if (removed.length > 0) {
      try {
        keepRolledBack(removed, false);
      } catch (IOException e) {
        throw switchFailed(
            what,
            "keeping the rolled-back blocks in "
                + directory.resolve(FileSignedChainStore.ROLLED_BACK_FILE),
            e,
            abandonSwitch());
      }
    }
    try {
      target.truncate(keepLength);
      if (durability == Durability.FSYNC) {
        target.force();
      }
      ByteBuffer buffer = ByteBuffer.wrap(lines);
      while (buffer.hasRemaining()) {
        target.write(buffer);
      }
      if (durability == Durability.FSYNC) {
        target.force();
      }
    } catch (IOException e) {
      throw switchFailed(what, "rewriting the end of " + chainFile, e, false);
    }
    size = keepLength + lines.length;
    try {
      Files.delete(journalFile);
    } catch (IOException e) {
      throw switchFailed(
          what, "deleting the journal " + journalFile + " (the new chain is stored)", e, false);
    }
    forceDirectory();
  }

  /** The chain file's length as this store last left it. */
  long length() {
    return size;
  }

  /** Opens the append target at the end of the file; call once the file is loaded and repaired. */
  void startAppending() throws IOException {
    size = chainChannel.size();
    fileKey = Files.readAttributes(chainFile, BasicFileAttributes.class).fileKey();
    target = targets.open(chainFile);
  }

  /**
   * Whether appends are refused: the store is broken (a failed rollback) or the file was changed
   * from outside since this store last wrote it; the reason, if so.
   */
  Optional<String> broken() {
    if (broken.isEmpty()) {
      broken = changedOutside();
    }
    return broken;
  }

  /**
   * Throws unless appends are allowed: the store is broken, or its file was changed from outside.
   *
   * @param restart who to restart to recover ("the server", "the node")
   * @throws ChainStoreException in state {@link ChainStoreException.State#BROKEN}
   */
  void requireAppendable(String restart) {
    Optional<String> reason = broken();
    if (reason.isPresent()) {
      throw new ChainStoreException(
          "the chain store "
              + chainFile
              + " is broken: "
              + reason.get()
              + ". It stores no more blocks; restart "
              + restart,
          null,
          ChainStoreException.State.BROKEN);
    }
  }

  /**
   * Appends {@code line} (a whole line with its newline), forced with {@link Durability#FSYNC}.
   *
   * @throws ChainStoreException if it could not be written; the write is rolled back, and the
   *     exception's state says whether that worked
   */
  void append(byte[] line, String what) {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        target.write(buffer);
      }
      if (durability == Durability.FSYNC) {
        target.force();
      }
    } catch (IOException e) {
      rollBack();
      throw new ChainStoreException(
          "could not store "
              + what
              + " in "
              + chainFile
              + ": "
              + describe(e)
              + " (is the disk full or the directory read-only?)"
              + (broken.isPresent()
                  ? "; rolling the file back failed too, so the store is broken until a restart"
                  : ""),
          e,
          broken.isPresent() ? ChainStoreException.State.BROKEN : ChainStoreException.State.INTACT);
    }
    size += line.length;
  }

  /** The exception for a damaged chain file: names the line, leaves the file untouched. */
  ChainStoreException damaged(int line, String problem) {
    return new ChainStoreException(
        chainFile
            + " line "
            + line
            + ": "
            + problem
            + ". The file was left untouched for inspection. "
            + startOver());
  }

  /** How an operator says "yes, start a new chain": by moving the old directory out of the way. */
  String startOver() {
    return "To start a new chain instead, move the data directory away (mv "
        + directory
        + " "
        + directory
        + ".damaged) and start again.";
  }

  @Override
  public void close() {
    closeQuietly(target);
    target = null;
    releaseQuietly(chainLock);
    chainLock = null;
    closeQuietly(chainChannel);
    chainChannel = null;
    releaseQuietly(lock);
    lock = null;
    closeQuietly(lockChannel);
    lockChannel = null;
    if (registeredDirectory != null) {
      LOCKED_DIRECTORIES.remove(registeredDirectory);
      registeredDirectory = null;
    }
  }

  private void rollBack() {
    try {
      target.truncate(size);
      if (durability == Durability.FSYNC) {
        target.force();
      }
    } catch (IOException e) {
      broken =
          Optional.of(
              "a failed write could not be rolled back, so the file may end in part of a line"
                  + " (a restart moves that partial line to "
                  + FileChainStore.TORN_FILE
                  + ")");
    }
  }

  /**
   * Why the chain file is no longer the one this store wrote, if it is not: it was renamed, deleted
   * or replaced (another identity at its path), or its size is not what this store left (truncated,
   * shortened or appended to from outside). Appending then would write after a hole, or to a file
   * nobody reads, so the store stops instead.
   */
  private Optional<String> changedOutside() {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(chainFile, BasicFileAttributes.class);
    } catch (IOException e) {
      return Optional.of(
          "the chain file is gone ("
              + describe(e)
              + "): it was renamed or deleted while the server ran");
    }
    if (!Objects.equals(attributes.fileKey(), fileKey)) {
      return Optional.of(
          "the chain file was replaced by another file while the server ran (its identity changed"
              + " from "
              + fileKey
              + " to "
              + attributes.fileKey()
              + ")");
    }
    long actual;
    try {
      actual = chainChannel.size();
    } catch (IOException e) {
      return Optional.of("the chain file's size cannot be read: " + describe(e));
    }
    if (actual != size) {
      return Optional.of(
          "the chain file was changed outside posj while the server ran: it has "
              + actual
              + " bytes where this server last wrote "
              + size
              + " ("
              + (actual < size ? "truncated or shortened" : "appended to")
              + "); check it with pos verify "
              + chainFile);
    }
    return Optional.empty();
  }

  /**
   * Locks the directory against other stores: first in this JVM's registry, then with an OS lock on
   * {@value FileChainStore#LOCK_FILE} against other processes.
   */
  private void acquireLock() {
    Path lockFile = directory.resolve(FileChainStore.LOCK_FILE);
    Path key;
    try {
      key = directory.toRealPath();
    } catch (IOException e) {
      throw cannotLock(lockFile, e);
    }
    // OS file locks belong to the process, and closing any descriptor of LOCK in this JVM would
    // release them (FileLock's Javadoc), so a second store in this JVM must not even open LOCK.
    if (!LOCKED_DIRECTORIES.add(key)) {
      throw inUse("pid " + ProcessHandle.current().pid() + ", in this process");
    }
    registeredDirectory = key;
    try {
      lockChannel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        // Held through another channel in this JVM, outside any FileChainStore.
        lock = null;
      }
      if (lock == null) {
        // Read the holder through our own channel: opening another descriptor is what not to do.
        ByteBuffer holder = ByteBuffer.allocate(64);
        while (holder.hasRemaining() && lockChannel.read(holder, holder.position()) > 0) {
          // reads until the buffer is full or the file ends
        }
        String text =
            new String(holder.array(), 0, holder.position(), StandardCharsets.UTF_8).strip();
        close();
        throw inUse(text);
      }
      lockChannel.truncate(0);
      lockChannel.write(
          ByteBuffer.wrap(
              ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
          0);
    } catch (IOException e) {
      close();
      throw cannotLock(lockFile, e);
    }
  }

  private ChainStoreException inUse(String holder) {
    return new ChainStoreException(
        "the data directory "
            + directory
            + " is in use by another posj server"
            + (holder.isEmpty() ? "" : " (" + holder + ")")
            + ". Stop it, or choose another directory with --data-dir.");
  }

  private ChainStoreException cannotLock(Path lockFile, IOException e) {
    return new ChainStoreException(
        "cannot lock the data directory "
            + directory
            + " ("
            + lockFile
            + "): "
            + describe(e)
            + ". Is it writable? Choose another with --data-dir, or run with --in-memory.",
        e);
  }

  /** The bytes of the chain file from {@code from} to its end (a torn tail: one short line). */
  private byte[] readTail(long from) throws IOException {
    return readChain(from, chainChannel.size());
  }

  /**
   * The bytes of the chain file from {@code from} to {@code to} (or to its end, if sooner): a torn
   * tail, or the lines a switch rolls back (at most the rollback depth's, about 1 MB).
   */
  private byte[] readChain(long from, long to) throws IOException {
    return read(chainChannel, from, to);
  }

  private static byte[] read(FileChannel channel, long from, long to) throws IOException {
    if (to - from > Integer.MAX_VALUE - 8) {
      throw new IOException("cannot hold " + (to - from) + " bytes of " + channel + " in memory");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) (to - from));
    while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
      // reads until the buffer is full or the file ends
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  /**
   * Writes {@code content} to {@code temporary}, forces it, renames it to {@code file} (atomic
   * where the file system can), and forces the directory.
   */
  private void writeWhole(Path temporary, Path file, byte[] content) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory();
  }

  /**
   * Appends {@code lines} (whole lines) to {@value FileSignedChainStore#ROLLED_BACK_FILE}, forced,
   * so that a switch loses no block for good. A file that ends inside a line (a crash while an
   * earlier switch wrote it) gets a newline first, so that line stays apart. With {@code
   * unlessKept}, nothing is written if the file already ends with exactly {@code lines} (a switch
   * that a crash interrupted after this step).
   */
  private void keepRolledBack(byte[] lines, boolean unlessKept) throws IOException {
    Path file = directory.resolve(FileSignedChainStore.ROLLED_BACK_FILE);
    boolean created = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    try (FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long length = channel.size();
      if (unlessKept
          && length >= lines.length
          && Arrays.equals(read(channel, length - lines.length, length), lines)) {
        return;
      }
      boolean endsInsideALine = length > 0 && read(channel, length - 1, length)[0] != '\n';
      ByteBuffer buffer = ByteBuffer.allocate(lines.length + (endsInsideALine ? 1 : 0));
      if (endsInsideALine) {
        buffer.put((byte) '\n');
      }
      buffer.put(lines).flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer, length + buffer.position());
      }
      channel.force(true);
    }
    if (created) {
      forceDirectory();
    }
  }

  /**
   * Removes the journal of a switch that failed before it touched the chain file, so that a restart
   * does not complete it; whether that worked (no journal is left).
   */
  private boolean abandonSwitch() {
    try {
      Files.deleteIfExists(directory.resolve(NEW_SWITCH_JOURNAL));
      Files.deleteIfExists(switchJournal());
    } catch (IOException e) {
      return false;
    }
    forceDirectory();
    return true;
  }

  /**
   * The exception for a failed step of a switch; unless {@code intact} (the chain file and the
   * store's memory still agree, and no journal is left), the store is broken from now on.
   */
  private ChainStoreException switchFailed(
      String what, String step, IOException e, boolean intact) {
    if (!intact) {
      broken =
          Optional.of(
              "a chain switch stopped half-way ("
                  + step
                  + " failed: "
                  + describe(e)
                  + "), so the chain file may not hold the chain in memory; its journal "
                  + switchJournal()
                  + " is kept, and a restart completes the switch");
    }
    return new ChainStoreException(
        "could not store "
            + what
            + ": "
            + step
            + " failed: "
            + describe(e)
            + " (is the disk full or the directory read-only?)"
            + (intact
                ? "; the chain file was not changed"
                : "; the store is broken until a restart, which completes the switch from its"
                    + " journal"),
        e,
        intact ? ChainStoreException.State.INTACT : ChainStoreException.State.BROKEN);
  }

  /**
   * Appends the torn bytes {@code tail} and a newline to {@code tornFile}, forced, so that
   * truncating them loses nothing for good. They hold no newline (they follow the last one), so the
   * file keeps one dropped tail per line.
   */
  private void keepTornBytes(Path tornFile, byte[] tail) throws IOException {
    boolean created = !Files.exists(tornFile);
    try (FileChannel channel =
        FileChannel.open(
            tornFile,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.allocate(tail.length + 1);
      buffer.put(tail).put((byte) '\n').flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    if (created) {
      forceDirectory();
    }
  }

  /**
   * The files of the store's own ({@value FileChainStore#LOCK_FILE}, {@value
   * FileChainStore#TORN_FILE}, the temporary file of a first start, a chain switch's journal and
   * its temporary file, {@value FileSignedChainStore#ROLLED_BACK_FILE}) found in the directory,
   * which show it held a chain before.
   */
  private List<String> previousLife(boolean lockExisted) {
    List<String> traces = new ArrayList<>();
    if (lockExisted) {
      traces.add(FileChainStore.LOCK_FILE);
    }
    for (String name :
        List.of(
            FileChainStore.TORN_FILE,
            NEW_FILE,
            FileSignedChainStore.SWITCH_JOURNAL,
            NEW_SWITCH_JOURNAL,
            FileSignedChainStore.ROLLED_BACK_FILE)) {
      if (Files.exists(directory.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        traces.add(name);
      }
    }
    return traces;
  }

  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or force a directory; the rename is then as durable as the
      // file system makes it.
    }
  }

  /**
   * What went wrong, in words: NIO puts only the path in some messages and says what happened by
   * the exception's type, whose Java name a user should not have to read.
   */
  static String describe(IOException e) {
    String message = Objects.requireNonNullElse(e.getMessage(), "input/output error");
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + message;
    } else if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + message;
    } else if (e instanceof FileAlreadyExistsException) {
      return "a file is in the way: " + message;
    } else if (e instanceof NotDirectoryException) {
      return "not a directory: " + message;
    }
    return message;
  }

  private static void releaseQuietly(FileLock lock) {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // The lock goes with its channel, closed next.
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing on the way out; nothing more to do.
    }
  }
}
