package io.github.posj.net.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import io.github.posj.core.chain.ChainRule;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.testing.TestNetwork;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reading chains of several batches (512 blocks each): with an executor, a batch's signatures are
 * checked while the next batch is read, and the answer must be the one a single-threaded read
 * gives, whatever the number of threads.
 */
final class SignedChainFileTest {
  private static final int BLOCKS = 1_300; // two full batches and part of a third

  private static final TestNetwork NETWORK =
      TestNetwork.withStakes(1, 1, 1, 1, 1, 1, 1, 1, 1, 1); // onions of 256: ~130 blocks each
  private static List<String> lines;
  private static SignedBlock last;
  private static ExecutorService pool;

  @BeforeAll
  static void forgeChain() {
    SignedChainState state = NETWORK.start();
    List<SignedBlock> blocks = NETWORK.forgeSlots(state, 1, BLOCKS);
    last = blocks.get(BLOCKS - 1);
    lines = new ArrayList<>();
    lines.add(SignedChainFile.header(NETWORK.genesis()));
    lines.add(ChainJson.write(NETWORK.genesis().block0()));
    blocks.forEach(block -> lines.add(SignedBlockJson.write(block)));
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  private static List<SignedChainFile.Options> everyWay() {
    return List.of(
        SignedChainFile.Options.keepingBlocks(),
        SignedChainFile.Options.streaming(pool, 1),
        SignedChainFile.Options.streaming(pool, 2));
  }

  private static SignedChainFile.Contents read(List<String> file, SignedChainFile.Options options)
      throws IOException {
    byte[] bytes = (String.join("\n", file) + "\n").getBytes(StandardCharsets.UTF_8);
    return SignedChainFile.read(new ByteArrayInputStream(bytes), options);
  }

  /** The file with block {@code index}'s Signature changed in one hex digit. */
  private static List<String> withForgedSignature(List<String> file, int index) {
    List<String> copy = new ArrayList<>(file);
    String line = copy.get(index + 1);
    int at = line.indexOf("\"Signature\":\"") + 13;
    char c = line.charAt(at);
    copy.set(index + 1, line.substring(0, at) + (c == '0' ? '1' : '0') + line.substring(at + 1));
    return copy;
  }

  @Test
  void read_validChainOfSeveralBatches_loadsEveryBlockEveryWay() throws IOException {
    for (SignedChainFile.Options options : everyWay()) {
      SignedChainFile.Contents contents = read(lines, options);
      assertThat(contents).isInstanceOf(SignedChainFile.Contents.Loaded.class);
      SignedChainFile.Contents.Loaded loaded = (SignedChainFile.Contents.Loaded) contents;
      assertThat(loaded.blockCount()).isEqualTo(BLOCKS);
      assertThat(loaded.state().head()).isEqualTo(last.block());
      assertThat(loaded.blocks()).hasSize(options.keepBlocks() ? BLOCKS : 0);
      assertThat(loaded.ending()).isEqualTo(ChainFile.Ending.COMPLETE);
    }
  }

  @Test
  void read_linesInAnotherJsonFormThanPosjWrites_loadAsTheSameBlocks() throws IOException {
    // Every line posj writes takes the parser-free path; these two do not, and load the same.
    List<String> file = new ArrayList<>(lines);
    file.set(5 + 1, file.get(5 + 1).replace(",\"Slot\":", ", \"Slot\" : "));
    String line = file.get(900 + 1);
    int slot = line.indexOf(",\"Slot\":");
    file.set(
        900 + 1,
        "{" + line.substring(slot + 1, line.length() - 1) + "," + line.substring(1, slot) + "}");
    for (SignedChainFile.Options options : everyWay()) {
      SignedChainFile.Contents contents = read(file, options);
      assertThat(contents).isInstanceOf(SignedChainFile.Contents.Loaded.class);
      SignedChainFile.Contents.Loaded loaded = (SignedChainFile.Contents.Loaded) contents;
      assertThat(loaded.blockCount()).isEqualTo(BLOCKS);
      assertThat(loaded.state().head()).isEqualTo(last.block());
      if (options.keepBlocks()) {
        assertThat(loaded.blocks())
            .isEqualTo(
                read(lines, options) instanceof SignedChainFile.Contents.Loaded l
                    ? l.blocks()
                    : null);
      }
    }
  }

  @Test
  void read_forgedSignatureInSecondBatchAndGarbageInThird_reportsTheSignature() throws IOException {
    List<String> file = withForgedSignature(lines, 700);
    file.set(1_100 + 1, "not a block");
    for (SignedChainFile.Options options : everyWay()) {
      assertDamaged(read(file, options), 700 + 2, Optional.of(ChainRule.SIGNATURE_VALID));
    }
  }

  @Test
  void read_brokenLinkInFirstBatchAndForgedSignatureInSecond_reportsTheLink() throws IOException {
    List<String> file = withForgedSignature(lines, 600);
    file.set(
        300 + 1, file.get(300 + 1).replaceFirst("\"PrevHash\":\"[0-9a-f]", "\"PrevHash\":\"f"));
    for (SignedChainFile.Options options : everyWay()) {
      assertDamaged(read(file, options), 300 + 2, Optional.of(ChainRule.PREV_HASH_LINKS));
    }
  }

  @Test
  void read_forgedSignatureInTheLastFullBatch_isFoundBeforeTheEnd() throws IOException {
    List<String> file = withForgedSignature(lines, 1_024);
    for (SignedChainFile.Options options : everyWay()) {
      assertDamaged(read(file, options), 1_024 + 2, Optional.of(ChainRule.SIGNATURE_VALID));
    }
  }

  @Test
  void read_tornLastLineAfterFullBatches_loadsTheBlocksBeforeIt() throws IOException {
    List<String> file = new ArrayList<>(lines.subList(0, 1_030 + 2));
    byte[] bytes =
        (String.join("\n", file) + "\n{\"Index\":1031,\"Times").getBytes(StandardCharsets.UTF_8);
    for (SignedChainFile.Options options : everyWay()) {
      SignedChainFile.Contents contents =
          SignedChainFile.read(new ByteArrayInputStream(bytes), options);
      assertThat(contents).isInstanceOf(SignedChainFile.Contents.Loaded.class);
      SignedChainFile.Contents.Loaded loaded = (SignedChainFile.Contents.Loaded) contents;
      assertThat(loaded.blockCount()).isEqualTo(1_030);
      assertThat(loaded.ending()).isEqualTo(ChainFile.Ending.TORN);
      assertThat(loaded.chainLength())
          .isEqualTo((String.join("\n", file) + "\n").getBytes(StandardCharsets.UTF_8).length);
    }
  }

  private static void assertDamaged(
      SignedChainFile.Contents contents, int line, Optional<ChainRule> rule) {
    assertThat(contents).isInstanceOf(SignedChainFile.Contents.Damaged.class);
    SignedChainFile.Contents.Damaged damaged = (SignedChainFile.Contents.Damaged) contents;
    assertThat(damaged.line()).isEqualTo(line);
    assertThat(damaged.rule()).isEqualTo(rule);
  }
}
