package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.chain.Chain;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
}
