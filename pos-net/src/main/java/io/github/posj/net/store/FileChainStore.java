package io.github.posj.net.store;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.AppendResult;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.chain.ChainValidation;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chain in a data directory: an append-only file {@value #CHAIN_FILE} with a header line and
 * one block per line in the broadcast's JSON shape, and a lock file {@value #LOCK_FILE} so that
 * only one server uses the directory at a time. A store also refuses a directory that another store
 * of the same JVM holds (without opening {@value #LOCK_FILE}, whose OS lock closing any descriptor
 * would release), and holds an OS lock on {@value #CHAIN_FILE} itself, in case {@value #LOCK_FILE}
 * is deleted by hand.
 *
 * <pre>
 *   {"format":"posj-chain","version":1,"hashScheme":"posj"}
 *   {"Index":0,"Timestamp":"...","BPM":0,"Hash":"...","PrevHash":"","Validator":""}
 *   {"Index":1,...}
 * </pre>
 *
 * <p>The file is read by {@link ChainFile}, which {@code pos verify} uses too.
 *
 * <p>Guarantees (docs/storage.md): an appended block is written and, with {@link Durability#FSYNC}
 * (the default), forced to the device before {@link #append} returns; opening validates every
 * block; an empty or header-only file is refused (the file is created whole, atomically, so that is
 * outside damage); a torn final line (bytes after the last newline that are not a whole block: a
 * crash mid-write) is moved to {@value #TORN_FILE} and reported; a whole, valid last block whose
 * newline is missing is kept and its newline added; any other damage refuses to open, names the
 * line and block, and leaves the file untouched. A failed append is rolled back (the file is
 * truncated to its previous length), so the store never holds half a line it did not report. Before
 * every append the store checks that the chain file is still the one it opened, with the size it
 * left; a file changed from outside makes the store broken ({@link
 * ChainStoreException.State#BROKEN}) instead of written after a hole or into a file nobody reads.
 *
 * <p>Not thread-safe; confine to the node's state owner.
 */
public final class FileChainStore implements ChainStore {
  /** The chain file's name in the data directory. */
  public static final String CHAIN_FILE = "chain.jsonl";

  /**
   * Where the bytes of a torn final line are kept when a start drops them from the chain file: one
   * dropped tail per line, appended.
   */
  public static final String TORN_FILE = CHAIN_FILE + ".torn";

  /** The temporary file a first start writes the header and genesis to, then renames. */
  private static final String NEW_FILE = CHAIN_FILE + ".new";

  /** The lock file's name in the data directory. */
  public static final String LOCK_FILE = "LOCK";

  /** The format's version, written in the header ({@link ChainFile#FORMAT_VERSION}). */
  public static final int FORMAT_VERSION = ChainFile.FORMAT_VERSION;

  /** Whether appends are forced to the storage device. */
  public enum Durability {
    /** {@code FileChannel.force} after every append: survives a machine crash. The default. */
    FSYNC,
    /** Written to the OS only: survives a process crash, not a power cut (benchmarks, tests). */
    OS_BUFFERED
  }

  /** Where appends go; a seam so tests can make the device fail. */
  interface AppendTarget extends AutoCloseable {
    void write(ByteBuffer bytes) throws IOException;

    void force() throws IOException;

    void truncate(long size) throws IOException;

    @Override
    void close() throws IOException;
  }

  /** Opens the append target for the chain file. */
  interface AppendTargetFactory {
    AppendTarget open(Path file) throws IOException;
  }

  private final Path directory;
  private final Path chainFile;
  private final Durability durability;
  private final AppendTargetFactory targets;

  /**
   * The data directories (real paths) that a store of this JVM has locked; checked before LOCK is
   * opened.
   */
  private static final Set<Path> LOCKED_DIRECTORIES = ConcurrentHashMap.newKeySet();

  private Path registeredDirectory;
  private FileChannel lockChannel;
  private FileChannel chainChannel;
  private FileLock chainLock;
  private FileLock lock;
  private AppendTarget target;
  private Chain chain;
  private long size;

  /** The chain file's identity (device and inode, where the platform has them) when opened. */
  private Object fileKey;

  /** Why the store refuses appends until a restart; empty while it is usable. */
  private Optional<String> broken = Optional.empty();

  private boolean closed;

  /** A store in {@code directory} (created if missing) that forces every append to disk. */
  public FileChainStore(Path directory) {
    this(directory, Durability.FSYNC);
  }

  /** A store in {@code directory} with the given durability. */
  public FileChainStore(Path directory, Durability durability) {
    this(directory, durability, FileChainStore::openFileTarget);
  }

  FileChainStore(Path directory, Durability durability, AppendTargetFactory targets) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    this.chainFile = this.directory.resolve(CHAIN_FILE);
    this.durability = Objects.requireNonNull(durability, "durability");
    this.targets = Objects.requireNonNull(targets, "targets");
  }

  /** The data directory. */
  public Path directory() {
    return directory;
  }

  @Override
  public Opened open(HashScheme scheme, Block genesis) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(genesis, "genesis");
    if (closed || chain != null) {
      throw new IllegalStateException("a FileChainStore is opened once");
    }
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
    boolean lockExisted = Files.exists(directory.resolve(LOCK_FILE), LinkOption.NOFOLLOW_LINKS);
    acquireLock();
    try {
      List<String> repairs = new ArrayList<>();
      // Only a missing file in a directory without a previous life starts a new chain: the writer
      // creates the file whole and atomically, so an empty or partial one is damage from outside
      // and is refused by load.
      Chain created = null;
      if (Files.exists(chainFile, LinkOption.NOFOLLOW_LINKS)) {
        Optional<String> unreadable = ChainFile.notARegularFile(chainFile);
        if (unreadable.isPresent()) {
          throw new ChainStoreException(
              unreadable.get()
                  + ". The server does not start a new chain over it: mount the disk, or put the"
                  + " chain file back. "
                  + startOver());
        }
      } else {
        List<String> traces = previousLife(lockExisted);
        if (!traces.isEmpty()) {
          throw new ChainStoreException(
              chainFile
                  + " is missing, but the data directory shows that it held a chain (found "
                  + String.join(", ", traces)
                  + "). posj never removes its chain file, so it was moved or deleted, or it lies"
                  + " on a disk that is not mounted. Put it back. "
                  + startOver());
        }
        created = createChainFile(scheme, genesis);
      }
      lockChainFile();
      chain = created != null ? created : load(scheme, repairs);
      size = chainChannel.size();
      fileKey = Files.readAttributes(chainFile, BasicFileAttributes.class).fileKey();
      target = targets.open(chainFile);
      return new Opened(chain, repairs);
    } catch (IOException e) {
      close();
      throw new ChainStoreException("cannot read or write " + chainFile + ": " + describe(e), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void append(Block block) {
    Objects.requireNonNull(block, "block");
    if (closed || chain == null) {
      throw new ChainStoreException("the chain store " + directory + " is not open");
    }
    if (broken.isEmpty()) {
      broken = changedOutside();
    }
    if (broken.isPresent()) {
      throw new ChainStoreException(
          "the chain store "
              + chainFile
              + " is broken: "
              + broken.get()
              + ". It stores no more blocks; restart the server",
          null,
          ChainStoreException.State.BROKEN);
    }
    AppendResult result = chain.append(block);
    if (result instanceof AppendResult.Rejected rejected) {
      throw new IllegalArgumentException(
          "block " + block.index() + " does not follow the stored chain: " + rejected.detail());
    }
    byte[] line = (ChainJson.write(block) + "\n").getBytes(StandardCharsets.UTF_8);
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
          "could not store block "
              + block.index()
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
    chain = ((AppendResult.Accepted) result).chain();
  }

  @Override
  public void close() {
    closed = true;
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
                  + TORN_FILE
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
   * {@value #LOCK_FILE} against other processes.
   */
  private void acquireLock() {
    Path lockFile = directory.resolve(LOCK_FILE);
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

  private Chain createChainFile(HashScheme scheme, Block genesis) throws IOException {
    ChainValidation validation = Chain.validate(List.of(genesis), scheme);
    if (validation instanceof ChainValidation.Invalid invalid) {
      throw new IllegalArgumentException("not a genesis block: " + invalid.describe());
    }
    String content = ChainFile.header(scheme) + "\n" + ChainJson.write(genesis) + "\n";
    Path temporary = directory.resolve(NEW_FILE);
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(temporary, chainFile, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, chainFile, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory();
    return ((ChainValidation.Valid) validation).chain();
  }

  /**
   * Locks the chain file too, so that a second server is refused even if LOCK was deleted by hand
   * while this one runs. Like LOCK's, this lock is lost if any other descriptor of the file in this
   * JVM is closed; the store therefore reads and repairs the file through this channel only.
   */
  private void lockChainFile() throws IOException {
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
              + LOCK_FILE
              + " was not (was "
              + LOCK_FILE
              + " deleted by hand while that server ran?). Stop that server (lsof "
              + chainFile
              + " names it), or choose another directory with --data-dir.");
    }
  }

  /**
   * The chain file, streamed through the locked channel (never a second descriptor, whose closing
   * would release the lock). The stream is not closed: that would close the channel.
   */
  private ChainFile.Contents readChainFile() throws IOException {
    chainChannel.position(0);
    return ChainFile.read(Channels.newInputStream(chainChannel));
  }

  /** The bytes of the chain file from {@code from} to its end (a torn tail: one short line). */
  private byte[] readTail(long from) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) (chainChannel.size() - from));
    while (buffer.hasRemaining() && chainChannel.read(buffer, from + buffer.position()) > 0) {
      // reads until the buffer is full or the file ends
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  private Chain load(HashScheme scheme, List<String> repairs) throws IOException {
    ChainFile.Contents contents;
    try {
      contents = readChainFile();
    } catch (OutOfMemoryError e) {
      // The chain is held in memory; what was read so far is garbage once this returns.
      throw new ChainStoreException(
          "not enough memory to load "
              + chainFile
              + " ("
              + chainChannel.size()
              + " bytes; the heap's limit is "
              + Runtime.getRuntime().maxMemory() / (1024 * 1024)
              + " MiB). Start the server with a larger heap, e.g. POS_JAVA_OPTS=-Xmx2g ./pos"
              + " server");
    }
    Optional<HashScheme> stored =
        contents instanceof ChainFile.Contents.Loaded loaded
            ? Optional.of(loaded.scheme())
            : ((ChainFile.Contents.Damaged) contents).scheme();
    if (stored.isPresent() && !stored.get().name().equals(scheme.name())) {
      throw new ChainStoreException(
          chainFile
              + " holds a chain hashed with the '"
              + stored.get().name()
              + "' scheme, but the server was started with '"
              + scheme.name()
              + "'. Start it with --hash-scheme "
              + stored.get().name()
              + ", or use another --data-dir.");
    }
    if (contents instanceof ChainFile.Contents.Damaged damaged) {
      throw damaged(damaged.line(), damaged.problem());
    }
    ChainFile.Contents.Loaded loaded = (ChainFile.Contents.Loaded) contents;
    switch (loaded.ending()) {
      case COMPLETE -> {}
      case MISSING_NEWLINE -> {
        ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
        while (newline.hasRemaining()) {
          chainChannel.write(newline, loaded.chainLength() + newline.position());
        }
        chainChannel.force(true);
        repairs.add(
            "completed the final line of "
                + chainFile
                + ": block "
                + loaded.chain().head().index()
                + " is whole and valid but its newline was missing; kept it and added the newline");
      }
      case TORN -> {
        byte[] tail = readTail(loaded.chainLength());
        int torn = tail.length;
        Path tornFile = directory.resolve(TORN_FILE);
        keepTornBytes(tornFile, tail);
        chainChannel.truncate(loaded.chainLength());
        chainChannel.force(true);
        repairs.add(
            "dropped a torn final line of "
                + torn
                + " bytes from "
                + chainFile
                + " (a write was interrupted; that block had not been announced); the bytes were"
                + " appended to "
                + tornFile);
      }
    }
    return loaded.chain();
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

  private ChainStoreException damaged(int line, String problem) {
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
  private String startOver() {
    return "To start a new chain instead, move the data directory away (mv "
        + directory
        + " "
        + directory
        + ".damaged) and start again.";
  }

  /**
   * The files of the store's own ({@value #LOCK_FILE}, {@value #TORN_FILE}, the temporary file of a
   * first start) found in the directory, which show it held a chain before.
   */
  private List<String> previousLife(boolean lockExisted) {
    List<String> traces = new ArrayList<>();
    if (lockExisted) {
      traces.add(LOCK_FILE);
    }
    for (String name : List.of(TORN_FILE, NEW_FILE)) {
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
  private static String describe(IOException e) {
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

  /** The real append target: the chain file, positioned at its end. */
  static AppendTarget openFileTarget(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
    channel.position(channel.size());
    return new AppendTarget() {
      @Override
      public void write(ByteBuffer bytes) throws IOException {
        channel.write(bytes);
      }

      @Override
      public void force() throws IOException {
        channel.force(false);
      }

      @Override
      public void truncate(long newSize) throws IOException {
        channel.truncate(newSize);
        channel.position(newSize);
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }
}
