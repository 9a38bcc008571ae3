package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.chain.Chain;
import io.github.posj.core.testing.LineEdits;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ChainJson#parseCanonicalBlock}: the fast path of a chain file's lines. */
final class CanonicalBlockTest {
  private static Optional<Block> canonical(String line) {
    byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
    return ChainJson.parseCanonicalBlock(bytes, 2, bytes.length - 4);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-24 05:37:39.918131413 +0000 UTC",
        "",
        "t",
        "a'b(c)[d]{e}|~`!#$%^*_=+;:,./?"
      })
  void writtenBlocks_readBackAsTheSameBlockWithoutAParser(String timestamp) {
    Chain chain = TestBlocks.chain(HashScheme.goTutorial(), 3);
    for (long bpm : new long[] {0, 72, -5, Long.MAX_VALUE / 1000, -999_999_999_999_999_999L}) {
      Block block = chain.nextBlock(bpm, timestamp, TestValidators.validator(2));
      assertThat(canonical(ChainJson.write(block))).contains(block);
    }
    assertThat(canonical(ChainJson.write(chain.genesisBlock()))).contains(chain.genesisBlock());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"Index\":1, \"Timestamp\":\"t\",\"BPM\":1,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Timestamp\":\"t\",\"Index\":1,\"BPM\":1,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":01,\"Timestamp\":\"t\",\"BPM\":1,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":1,\"Timestamp\":\"t\",\"BPM\":-0,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":1,\"Timestamp\":\"t\",\"BPM\":,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":1,\"Timestamp\":\"t\",\"BPM\":-,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":1,\"Timestamp\":\"t\",\"BPM\":1.0,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":-1,\"Timestamp\":\"t\",\"BPM\":1,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":1,\"Timestamp\":\"a\\u003cb\",\"BPM\":1,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":1,\"Timestamp\":\"a\\\"b\",\"BPM\":1,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":1,\"Timestamp\":\"t\",\"BPM\":1,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"} ",
        "{\"Index\":1,\"Timestamp\":\"t\",\"BPM\":1,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"",
        "{\"Index\":1234567890123456789,\"Timestamp\":\"t\",\"BPM\":1,\"Hash\":\"H\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":1,\"Timestamp\":\"t\",\"BPM\":1,\"Hash\":\"\",\"PrevHash\":\"P\",\"Validator\":\"V\"}",
        "{\"Index\":1,\"Timestamp\":\"t\",\"BPM\":1,\"Hash\":\"ABCD\",\"PrevHash\":\"P\",\"Validator\":\"V\"}"
      })
  void anythingElse_isLeftToTheJsonParser(String template) {
    String hex = "ab".repeat(32);
    String line =
        template
            .replace("\"H\"", template.contains("\"Hash\":\"\"") ? "\"H\"" : "\"" + hex + "\"")
            .replace("\"P\"", "\"" + hex + "\"")
            .replace("\"V\"", "\"" + hex + "\"");

    assertThat(canonical(line)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-24 05:37:39 +0000 UTC", "ü", "a<b", "tab\there"})
  void timestampsTheWriterEscapesOrThatAreNotAscii_areLeftToTheParserWhichAgrees(String timestamp) {
    Block block =
        TestBlocks.genesis(HashScheme.posj()).nextBlock(72, timestamp, TestValidators.validator(1));
    String line = ChainJson.write(block);
    Optional<Block> fast = canonical(line);
    ChainJson.ParsedChain slow = ChainJson.parseBlock(line);

    assertThat(slow).isEqualTo(new ChainJson.ParsedChain.Parsed(java.util.List.of(block)));
    fast.ifPresent(b -> assertThat(b).isEqualTo(block));
  }

  @Test
  void randomEdits_theFastPathAcceptsOnlyWhatTheParserReadsTheSame() {
    // 100,000 written lines (the genesis block's empty PrevHash, negative and zero BPMs among
    // them) with a random character changed, added or removed: wherever the fast path gives a
    // block, the JSON parser gives the same one.
    SplittableRandom random = new SplittableRandom(20261201);
    Chain chain = TestBlocks.chain(HashScheme.posj(), 2);
    String[] lines = new String[64];
    lines[0] = ChainJson.write(chain.genesisBlock());
    for (int i = 1; i < lines.length; i++) {
      long bpm = i % 3 == 0 ? -i : i % 3 == 1 ? 0 : random.nextLong(1_000_000);
      lines[i] =
          ChainJson.write(
              chain.nextBlock(bpm, TestBlocks.timestamp(i), TestValidators.validator(i)));
    }
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      String edited = LineEdits.edit(lines[random.nextInt(lines.length)], random);
      Optional<Block> fast = canonical(edited);
      if (fast.isPresent()) {
        accepted++;
        assertThat(ChainJson.parseBlock(edited))
            .as(edited)
            .isEqualTo(new ChainJson.ParsedChain.Parsed(List.of(fast.get())));
      }
    }
    assertThat(accepted).isBetween(1_000, 99_000);
  }
}
