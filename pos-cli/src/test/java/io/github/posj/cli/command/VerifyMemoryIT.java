package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.PosProcess;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.net.store.ChainFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pos verify} checks a chain in memory that does not grow with its length (issue #11): a
 * 400,000-block chain, as a chain file and as a JSON array, in a child JVM whose heap ({@value
 * #HEAP}) is far smaller than the chain's blocks held at once (about 140 MB read from the chain
 * file, 280 MB from the array: what {@code pos verify} needed when it kept them, and ran out of).
 */
final class VerifyMemoryIT {
  private static final int BLOCKS = 400_000;
  private static final String HEAP = "-Xmx48m";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  /** The head's hash, which both files end with. */
  private static String head;

  /**
   * Writes one posj chain twice, as a server's {@code chain.jsonl} and as the JSON array the
   * tutorial broadcasts, a block at a time (nothing held).
   */
  @BeforeAll
  static void writeChain() throws IOException {
    HashScheme scheme = HashScheme.posj();
    Block[] last = new Block[1];
    try (Writer chainFile = writer("chain.jsonl");
        Writer array = writer("chain.json")) {
      chainFile.write(ChainFile.header(scheme) + "\n");
      TestBlocks.forEachBlock(
          scheme,
          BLOCKS,
          block -> {
            String json = ChainJson.write(block);
            try {
              chainFile.write(json + "\n");
              array.write((last[0] == null ? "[" : ",") + json);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            last[0] = block;
          });
      array.write("]\n");
    }
    head = last[0].hash().hex();
  }

  private static Writer writer(String name) throws IOException {
    return new BufferedWriter(
        Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8), 1 << 20);
  }

  @Test
  void verify_chainFileOfManyBlocksInASmallHeap_isOk() throws Exception {
    assertVerifiesOk("chain.jsonl");
  }

  @Test
  void verify_jsonArrayOfManyBlocksInASmallHeap_isOk() throws Exception {
    assertVerifiesOk("chain.json");
  }

  private static void assertVerifiesOk(String file) throws Exception {
    try (PosProcess verify = PosProcess.start(dir, List.of(HEAP), Map.of(), "verify", file)) {
      int exit = verify.waitFor(TIMEOUT);

      assertThat(verify.out() + verify.err())
          .isEqualTo(
              "OK: "
                  + BLOCKS
                  + " blocks, height "
                  + (BLOCKS - 1)
                  + ", head "
                  + head
                  + " (posj scheme)"
                  + System.lineSeparator());
      assertThat(exit).isZero();
    }
  }
}
