package io.github.posj.net.store;

import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.SignedBlockJson;
import io.github.posj.core.chain.SignedChainGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Writes a valid network-mode chain file (format version 2) of N blocks after block 0, for timing
 * {@code pos verify} (issue #12's target: at least 5,000 blocks/s on one core, 1.7 times that on
 * two). The chain is {@link SignedChainGenerator}'s: 100 validators by default, every slot filled
 * by its leader. The file is written beside its name and renamed into place when whole, so an
 * interrupted run leaves no half file to be reused.
 *
 * <p>Run: {@code pos-bench/run-verify-signed [DIR] [BLOCKS] [RUNS]}, which writes {@code
 * DIR/chain-BLOCKS.jsonl} with this class on first use and then times {@code pos verify} on it; by
 * hand: {@code java -cp pos-bench/target/benchmarks.jar
 * io.github.posj.net.store.SignedChainFileGenerator FILE [BLOCKS] [VALIDATORS]}.
 */
public final class SignedChainFileGenerator {
  /** The most blocks a run may ask for: about 620 bytes each, 1.2 GB of file. */
  public static final int MAX_BLOCKS = 2_000_000;

  private SignedChainFileGenerator() {}

  /** Writes the file: {@code FILE [BLOCKS (default 100,000)] [VALIDATORS (default 100)]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: SignedChainFileGenerator FILE [BLOCKS] [VALIDATORS]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int validators = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    if (blocks < 1 || blocks > MAX_BLOCKS) {
      throw new IllegalArgumentException("1 to " + MAX_BLOCKS + " blocks, got " + blocks);
    }
    long start = System.nanoTime();
    SignedChainGenerator chain = SignedChainGenerator.of(validators, blocks);
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    StringBuilder line = new StringBuilder(640);
    try (Writer out =
        new BufferedWriter(Files.newBufferedWriter(partial, StandardCharsets.UTF_8), 1 << 20)) {
      out.write(SignedChainFile.header(chain.genesis()));
      out.write('\n');
      out.write(ChainJson.write(chain.genesis().block0()));
      out.write('\n');
      for (int i = 0; i < blocks; i++) {
        line.setLength(0);
        SignedBlockJson.writeBlock(chain.next(), line);
        line.append('\n');
        out.append(line);
      }
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.printf(
        Locale.ROOT,
        "wrote %s: %,d blocks after block 0 (%,d validators, %,d empty slots, head slot %,d),"
            + " %,d bytes, in %.1f s%n",
        file,
        blocks,
        validators,
        chain.skippedSlots(),
        chain.state().headSlot(),
        Files.size(file),
        (System.nanoTime() - start) / 1e9);
  }
}
