package io.github.posj.net.store;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How long a server takes to load a long chain, and the heap the chain then holds (issue #11's
 * target: 1,000,000 blocks in at most 3 s with at most 1 GB of heap). Writes a posj chain of N
 * blocks into a data directory unless one is there, then times {@code new
 * FileChainStore(dir).open(...)} and prints the heap in use after a full GC.
 *
 * <p>Run: {@code pos-bench/run-store-open [DIR] [BLOCKS]} (default {@code /var/tmp/posj-1m} and
 * 1,000,000); the script gives the JVM {@code -Xmx1g}. Not a JMH benchmark: one open is seconds
 * long and is what a user waits for.
 */
public final class StoreOpenRun {
  private StoreOpenRun() {}

  /** Writes the chain if needed, then opens it and prints the time and the heap. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "/var/tmp/posj-1m");
    int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    HashScheme scheme = HashScheme.posj();
    if (!Files.exists(dir.resolve(FileChainStore.CHAIN_FILE))) {
      write(dir, scheme, blocks);
    }
    long start = System.nanoTime();
    try (FileChainStore store = new FileChainStore(dir)) {
      int size = store.open(scheme, scheme.genesis("unused")).chain().size();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.gc();
      Runtime runtime = Runtime.getRuntime();
      System.out.printf(
          Locale.ROOT,
          "open: %d blocks in %.2f s; heap in use after a GC %d MiB of %d MiB%n",
          size,
          seconds,
          (runtime.totalMemory() - runtime.freeMemory()) >> 20,
          runtime.maxMemory() >> 20);
    }
  }

  /** A posj chain of {@code blocks} blocks, as a server would have written it. */
  private static void write(Path dir, HashScheme scheme, int blocks) throws IOException {
    Files.createDirectories(dir);
    Block previous = scheme.genesis("2026-11-24 05:37:39.918131413 +0000 UTC");
    try (Writer out =
        new BufferedWriter(
            Files.newBufferedWriter(dir.resolve(FileChainStore.CHAIN_FILE), StandardCharsets.UTF_8),
            1 << 20)) {
      out.write(ChainFile.header(scheme));
      out.write('\n');
      out.write(ChainJson.write(previous));
      out.write('\n');
      byte[] validator = new byte[Hash.LENGTH];
      for (int i = 1; i < blocks; i++) {
        validator[0] = (byte) i;
        validator[1] = (byte) (i >> 8);
        Block next =
            scheme.seal(
                i,
                "2026-11-24 05:38:09.92 +0000 UTC",
                60 + i % 40,
                previous.hash(),
                new ValidatorId(Hash.of(validator)));
        out.write(ChainJson.write(next));
        out.write('\n');
        previous = next;
      }
    }
  }
}
