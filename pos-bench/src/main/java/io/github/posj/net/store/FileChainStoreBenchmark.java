package io.github.posj.net.store;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.AppendResult;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chain store: appends per second with and without fsync, and the time to open (read and
 * validate) a chain of 100,000 blocks. Files go to a temporary directory (the JVM's {@code
 * java.io.tmpdir}); the numbers depend on that device.
 *
 * <p>Pass a {@code java.io.tmpdir} on a real disk: {@code /tmp} is often a tmpfs, where fsync costs
 * nothing and the FSYNC numbers mean nothing. The forked JVMs inherit the property; each trial
 * prints the directory and its file system type (a line starting {@code # chain store files:}) so
 * that the result records where it ran.
 *
 * <p>Run: {@code java -Djava.io.tmpdir=/var/tmp -jar pos-bench/target/benchmarks.jar
 * FileChainStoreBenchmark}.
 */
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class FileChainStoreBenchmark {
  private static final Instant START = Instant.parse("2026-11-24T05:37:41Z");
  private static final ValidatorId VALIDATOR =
      ValidatorId.derive("store-bench".getBytes(StandardCharsets.UTF_8));

  /** An open store and the chain it holds; a fresh directory per iteration. */
  @State(Scope.Thread)
  public static class Appending {
    @Param({"FSYNC", "OS_BUFFERED"})
    FileChainStore.Durability durability;

    Path directory;
    FileChainStore store;
    Chain chain;
    long next;

    /** Prints where the files go, so that the result records the file system. */
    @Setup(Level.Trial)
    public void describeDevice() throws IOException {
      printDevice();
    }

    /** Opens a new store. */
    @Setup(Level.Iteration)
    public void open() throws IOException {
      directory = Files.createTempDirectory("posj-store-bench");
      store = new FileChainStore(directory, durability);
      chain =
          store
              .open(HashScheme.posj(), HashScheme.posj().genesis(GoTimestamp.format(START)))
              .chain();
      next = 1;
    }

    /** Closes and deletes it. */
    @TearDown(Level.Iteration)
    public void close() throws IOException {
      store.close();
      deleteTree(directory);
    }
  }

  /** Appends one block (its hash is recomputed by the store's check, as in the server). */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 2)
  public Chain append(Appending state) {
    Block block =
        state.chain.nextBlock(
            60 + state.next % 40, GoTimestamp.format(START.plusSeconds(state.next)), VALIDATOR);
    state.store.append(block);
    state.chain = ((AppendResult.Accepted) state.chain.append(block)).chain();
    state.next++;
    return state.chain;
  }

  /** A data directory holding a chain of {@code blocks} blocks, written once per trial. */
  @State(Scope.Benchmark)
  public static class Stored {
    @Param({"100000"})
    int blocks;

    Path directory;

    /** Writes the chain without fsync (only the load is measured). */
    @Setup(Level.Trial)
    public void write() throws IOException {
      printDevice();
      directory = Files.createTempDirectory("posj-load-bench");
      try (FileChainStore store =
          new FileChainStore(directory, FileChainStore.Durability.OS_BUFFERED)) {
        Chain chain =
            store
                .open(HashScheme.posj(), HashScheme.posj().genesis(GoTimestamp.format(START)))
                .chain();
        for (int i = 1; i < blocks; i++) {
          Block block =
              chain.nextBlock(60 + i % 40, GoTimestamp.format(START.plusSeconds(i)), VALIDATOR);
          store.append(block);
          chain = ((AppendResult.Accepted) chain.append(block)).chain();
        }
      }
    }

    /** Deletes it. */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
      deleteTree(directory);
    }
  }

  /** Opens the store: reads, parses and validates every block. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 5)
  public Chain load(Stored stored) {
    try (FileChainStore store = new FileChainStore(stored.directory)) {
      ChainStore.Opened opened =
          store.open(HashScheme.posj(), HashScheme.posj().genesis("unused: the store exists"));
      return opened.chain();
    }
  }

  /** Prints java.io.tmpdir and its file system, warning when it is a tmpfs. */
  static void printDevice() throws IOException {
    Path directory = Path.of(System.getProperty("java.io.tmpdir"));
    FileStore store = Files.getFileStore(directory);
    System.out.println(
        "# chain store files: "
            + directory
            + " on a "
            + store.type()
            + " file system ("
            + store.name()
            + ")"
            + (store.type().equals("tmpfs")
                ? "; fsync is free on tmpfs: pass -Djava.io.tmpdir=<a directory on a disk>"
                : ""));
  }

  static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
