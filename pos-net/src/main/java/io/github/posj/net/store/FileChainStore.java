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
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

  private final DataDirectory files;
  private Chain chain;
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
    this.files = new DataDirectory(directory, durability, targets);
  }

  /** The data directory. */
  public Path directory() {
    return files.directory();
  }

  @Override
  public Opened open(HashScheme scheme, Block genesis) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(genesis, "genesis");
    if (closed || chain != null) {
      throw new IllegalStateException("a FileChainStore is opened once");
    }
    boolean exists = files.open();
    try {
      List<String> repairs = new ArrayList<>();
      Chain created = exists ? null : createChainFile(scheme, genesis);
      files.lockChainFile();
      chain = created != null ? created : load(scheme, repairs);
      files.startAppending();
      return new Opened(chain, repairs);
    } catch (IOException e) {
      close();
      throw new ChainStoreException(
          "cannot read or write " + files.chainFile() + ": " + DataDirectory.describe(e), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void append(Block block) {
    Objects.requireNonNull(block, "block");
    if (closed || chain == null) {
      throw new ChainStoreException("the chain store " + files.directory() + " is not open");
    }
    files.requireAppendable("the server");
    AppendResult result = chain.append(block);
    if (result instanceof AppendResult.Rejected rejected) {
      throw new IllegalArgumentException(
          "block " + block.index() + " does not follow the stored chain: " + rejected.detail());
    }
    files.append(
        (ChainJson.write(block) + "\n").getBytes(StandardCharsets.UTF_8), "block " + block.index());
    chain = ((AppendResult.Accepted) result).chain();
  }

  @Override
  public void close() {
    closed = true;
    files.close();
  }

  private Chain createChainFile(HashScheme scheme, Block genesis) throws IOException {
    ChainValidation validation = Chain.validate(List.of(genesis), scheme);
    if (validation instanceof ChainValidation.Invalid invalid) {
      throw new IllegalArgumentException("not a genesis block: " + invalid.describe());
    }
    files.create(ChainFile.header(scheme) + "\n" + ChainJson.write(genesis) + "\n");
    return ((ChainValidation.Valid) validation).chain();
  }

  private Chain load(HashScheme scheme, List<String> repairs) throws IOException {
    ChainFile.Contents contents;
    try {
      contents = ChainFile.read(files.read());
    } catch (OutOfMemoryError e) {
      // The chain is held in memory; what was read so far is garbage once this returns.
      throw new ChainStoreException(
          "not enough memory to load "
              + files.chainFile()
              + " ("
              + files.fileSize()
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
          files.chainFile()
              + " holds a chain hashed with the '"
              + stored.get().name()
              + "' scheme, but the server was started with '"
              + scheme.name()
              + "'. Start it with --hash-scheme "
              + stored.get().name()
              + ", or use another --data-dir.");
    }
    if (contents instanceof ChainFile.Contents.Damaged damaged) {
      throw files.damaged(damaged.line(), damaged.problem());
    }
    ChainFile.Contents.Loaded loaded = (ChainFile.Contents.Loaded) contents;
    switch (loaded.ending()) {
      case COMPLETE -> {}
      case MISSING_NEWLINE ->
          repairs.add(
              files.completeNewline(
                  loaded.chainLength(), "block " + loaded.chain().head().index()));
      case TORN -> repairs.add(files.dropTornTail(loaded.chainLength()));
    }
    return loaded.chain();
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
