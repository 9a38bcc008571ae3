package io.github.posj.net.store;

import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import io.github.posj.core.chain.RuleViolation;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.net.store.FileChainStore.AppendTargetFactory;
import io.github.posj.net.store.FileChainStore.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A network-mode node's chain in a data directory: {@value FileChainStore#CHAIN_FILE} in format
 * version 2 ({@link SignedChainFile}), with every guarantee of {@link FileChainStore}
 * (docs/storage.md): locks, a first start that writes the header and block 0 atomically, durable
 * appends that are rolled back on failure, the torn-tail and missing-newline repairs, and a refusal
 * to open a file with any other damage or another genesis.
 *
 * <p>Not thread-safe; confine to the node's owner thread.
 */
public final class FileSignedChainStore implements SignedChainStore {
  private final DataDirectory files;
  private SignedChainState check;
  private boolean closed;

  /** A store in {@code directory} (created if missing) that forces every append to disk. */
  public FileSignedChainStore(Path directory) {
    this(directory, Durability.FSYNC, FileChainStore::openFileTarget);
  }

  FileSignedChainStore(Path directory, Durability durability, AppendTargetFactory targets) {
    this.files = new DataDirectory(directory, durability, targets);
  }

  /** The data directory. */
  public Path directory() {
    return files.directory();
  }

  @Override
  public Opened open(Genesis genesis) {
    Objects.requireNonNull(genesis, "genesis");
    if (closed || check != null) {
      throw new IllegalStateException("a FileSignedChainStore is opened once");
    }
    boolean exists = files.open();
    try {
      List<String> repairs = new ArrayList<>();
      if (!exists) {
        files.create(
            SignedChainFile.header(genesis) + "\n" + ChainJson.write(genesis.block0()) + "\n");
      }
      files.lockChainFile();
      SignedChainFile.Contents contents;
      // Signatures dominate a start: check them on every core, as pos verify does.
      int cores = Runtime.getRuntime().availableProcessors();
      ExecutorService pool = Executors.newFixedThreadPool(cores, FileSignedChainStore::daemon);
      try {
        contents =
            SignedChainFile.read(files.read(), SignedChainFile.Options.keepingBlocks(pool, cores));
      } finally {
        pool.shutdownNow();
      }
      if (contents instanceof SignedChainFile.Contents.Damaged damaged) {
        if (damaged.line() == 1) {
          throw files.damaged(
              1,
              damaged.problem()
                  + " (a network node's chain file starts with a version 2 header that holds its"
                  + " genesis; a tutorial-mode chain belongs to pos server)");
        }
        throw files.damaged(damaged.line(), damaged.problem());
      }
      SignedChainFile.Contents.Loaded loaded = (SignedChainFile.Contents.Loaded) contents;
      if (!loaded.genesis().equals(genesis)) {
        throw new ChainStoreException(
            files.chainFile()
                + " holds the chain of another genesis (hash "
                + loaded.genesis().hash().hex()
                + ", chain id "
                + loaded.genesis().chainId()
                + ") than the node was started with ("
                + genesis.hash().hex()
                + ", "
                + genesis.chainId()
                + "). Start it with that chain's genesis, or use another --data-dir.");
      }
      switch (loaded.ending()) {
        case COMPLETE -> {}
        case MISSING_NEWLINE ->
            repairs.add(
                files.completeNewline(
                    loaded.chainLength(), "block " + loaded.state().head().index()));
        case TORN -> repairs.add(files.dropTornTail(loaded.chainLength()));
      }
      files.startAppending();
      check = SignedChainState.start(genesis);
      for (SignedBlock block : loaded.blocks()) {
        check.appendSignatureChecked(block);
      }
      return new Opened(loaded.state(), loaded.blocks(), repairs);
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
  public void append(SignedBlock block) {
    Objects.requireNonNull(block, "block");
    if (closed || check == null) {
      throw new ChainStoreException("the chain store " + files.directory() + " is not open");
    }
    files.requireAppendable("the node");
    // The node checked the signature; the store keeps the other rules itself, so that it never
    // writes a line that would make the file unreadable.
    Optional<RuleViolation> violation = check.checkExceptSignature(block);
    if (violation.isPresent()) {
      throw new IllegalArgumentException(
          "block "
              + block.index()
              + " does not follow the stored chain: "
              + violation.get().describe());
    }
    files.append(
        (SignedBlockJson.write(block) + "\n").getBytes(StandardCharsets.UTF_8),
        "block " + block.index());
    check.appendSignatureChecked(block);
  }

  @Override
  public void close() {
    closed = true;
    files.close();
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "posj-load");
    thread.setDaemon(true);
    return thread;
  }
}
