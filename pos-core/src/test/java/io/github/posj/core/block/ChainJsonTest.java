package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.ChainJson.ParsedChain;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.chain.ChainValidation;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestBlocks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ChainJsonTest {
  /** Printed by the original Go program (tutorial-protocol.md section 1), unabbreviated. */
  static final String GO_CHAIN =
      "[{\"Index\":0,\"Timestamp\":\"2026-11-24 05:37:39.918131413 +0000 UTC m=+0.002041026\","
          + "\"BPM\":0,\"Hash\":\"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7\","
          + "\"PrevHash\":\"\",\"Validator\":\"\"},"
          + "{\"Index\":1,\"Timestamp\":\"2026-11-24 05:37:41.440478369 +0000 UTC m=+1.524388092\","
          + "\"BPM\":72,\"Hash\":\"87b00d850c258a369ce8dff1a65faf2a09dd2f6886e9e3873a2c9cd8676568a1\","
          + "\"PrevHash\":\"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7\","
          + "\"Validator\":\"5263985518a3fdcc071c4bbc832d81e6948580c6f62aae5e3f13c66792b26e3a\"}]";

  @Test
  void parseBlock_keyWithTerminalControls_isQuotedEscaped() {
    ParsedChain parsed = ChainJson.parseBlock("{\"\\u001b]0;pwned\\u0007\\u202e\":1}");

    assertThat(parsed)
        .isInstanceOfSatisfying(
            ParsedChain.Malformed.class,
            m ->
                assertThat(m.message())
                    .contains("\\u001b]0;pwned\\u0007\\u202e")
                    .doesNotContain("\u001b", "\u0007", "\u202e"));
  }

  @Test
  void parse_chainCapturedFromGo_isReadAndWrittenBackByteForByte() {
    ParsedChain parsed = ChainJson.parse(GO_CHAIN);

    assertThat(parsed).isInstanceOf(ParsedChain.Parsed.class);
    var blocks = ((ParsedChain.Parsed) parsed).blocks();
    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(1).bpm()).isEqualTo(72);
    assertThat(ChainJson.write(blocks)).isEqualTo(GO_CHAIN);
  }

  @Test
  void parse_chainCapturedFromGo_validatesUnderTheGoTutorialScheme() {
    var blocks = ((ParsedChain.Parsed) ChainJson.parse(GO_CHAIN)).blocks();

    assertThat(Chain.validate(blocks, HashScheme.goTutorial()))
        .isInstanceOf(ChainValidation.Valid.class);
    assertThat(Chain.validate(blocks, HashScheme.posj()))
        .isInstanceOf(ChainValidation.Invalid.class);
  }

  @Test
  void write_ourChain_hasTheTutorialsShapeAndRoundTrips() {
    Chain chain = TestBlocks.chain(HashScheme.posj(), 3);

    String json = ChainJson.write(chain.blocks());

    assertThat(json)
        .startsWith(
            "[{\"Index\":0,\"Timestamp\":\"2026-11-24 05:37:39.918131413 +0000 UTC\",\"BPM\":0,\"Hash\":\"")
        .contains("\"PrevHash\":\"\",\"Validator\":\"\"},{\"Index\":1,")
        .doesNotContain(" \"", "\n");
    assertThat(((ParsedChain.Parsed) ChainJson.parse(json)).blocks()).isEqualTo(chain.blocks());
  }

  @Test
  void write_htmlAndControlCharacters_areEscapedLikeGo() {
    Block block =
        new Block(
            0,
            "<a>&\"\\\n\u0001\u2028",
            0,
            Hash.fromHex("ab".repeat(32)),
            Hash.EMPTY,
            ValidatorId.NONE);

    assertThat(ChainJson.write(block))
        .contains("\"Timestamp\":\"\\u003ca\\u003e\\u0026\\\"\\\\\\n\\u0001\\u2028\"");
    assertThat(((ParsedChain.Parsed) ChainJson.parseBlock(ChainJson.write(block))).blocks())
        .containsExactly(block);
  }

  @Test
  void parse_missingField_namesItWithLineAndColumn() {
    String json =
        "[\n  {\"Index\":0,\"Timestamp\":\"t\",\"BPM\":0,\"Hash\":\""
            + "ab".repeat(32)
            + "\",\"PrevHash\":\"\"}\n]";

    assertThat(malformed(json))
        .satisfies(m -> assertThat(m.message()).contains("block 0").contains("missing Validator"))
        .satisfies(m -> assertThat(m.line()).isEqualTo(2))
        .satisfies(m -> assertThat(m.column()).isEqualTo(3));
  }

  @Test
  void parse_wrongTypes_areRejectedWithTheKey() {
    String hash = "ab".repeat(32);
    assertThat(malformed(block("\"0\"", "0", hash)).message()).contains("Index must be an integer");
    assertThat(malformed(block("0", "7.5", hash)).message()).contains("BPM must be an integer");
    assertThat(malformed(block("0", "99999999999999999999", hash)).message())
        .contains("BPM must be an integer (64-bit)");
    assertThat(malformed(block("-1", "0", hash)).message()).contains("Index must be >= 0");
    assertThat(malformed(block("0", "0", "AB".repeat(32))).message())
        .contains("Hash must be 64 lowercase hex");
    assertThat(malformed(block("0", "0", "")).message()).contains("Hash must be 64 lowercase hex");
  }

  @Test
  void parse_unknownOrDuplicateKey_isRejected() {
    String hash = "ab".repeat(32);
    String extra =
        "[{\"Index\":0,\"Timestamp\":\"t\",\"BPM\":0,\"Hash\":\""
            + hash
            + "\",\"PrevHash\":\"\",\"Validator\":\"\",\"Nonce\":1}]";
    String duplicate = "[{\"Index\":0,\"Index\":0}]";

    assertThat(malformed(extra).message()).contains("unknown key \"Nonce\"");
    assertThat(malformed(duplicate).message()).contains("duplicate key Index");
  }

  @Test
  void parse_notAChain_isMalformed() {
    assertThat(malformed("{}").message()).contains("JSON array");
    assertThat(malformed("[1]").message()).contains("not a JSON object");
    assertThat(malformed("[] x").message()).contains("not valid JSON");
    assertThat(malformed("[{\"Index\":").message()).contains("not valid JSON");
    assertThat(malformed("").message()).contains("JSON array");
  }

  @Test
  void parse_tooLongTimestamp_isRejected() {
    String ts = "x".repeat(Block.MAX_TIMESTAMP_LENGTH + 1);
    String json = "[{\"Index\":0,\"Timestamp\":\"" + ts + "\"}]";

    assertThat(malformed(json).message()).contains("at most " + Block.MAX_TIMESTAMP_LENGTH);
  }

  @Test
  void parse_loneSurrogateEscape_isMalformed() {
    // Decoded, "t\ud800" has no UTF-8 form and would hash as "t?": a second text, one preimage.
    String genesis = GO_CHAIN.substring(1, GO_CHAIN.indexOf("},{") + 1);
    for (String escape : new String[] {"\\ud800", "\\udc00", "\\ude00\\ud83d"}) {
      String json =
          "["
              + genesis
              + ",{\"Index\":1,\"Timestamp\":\"t"
              + escape
              + "\",\"BPM\":72,\"Hash\":\""
              + "ab".repeat(32)
              + "\",\"PrevHash\":\"\",\"Validator\":\"\"}]";

      ParsedChain.Malformed malformed = malformed(json);

      assertThat(malformed.message())
          .as(json)
          .startsWith("block 1: Timestamp")
          .contains("unpaired surrogate U+D");
      assertThat(malformed.line()).isEqualTo(1);
    }
  }

  @Test
  void parse_surrogatePairEscape_isAccepted() {
    String json = GO_CHAIN.replace("m=+1.524388092", "\\ud83d\\ude00");

    ParsedChain parsed = ChainJson.parse(json);

    assertThat(parsed).isInstanceOf(ParsedChain.Parsed.class);
    assertThat(((ParsedChain.Parsed) parsed).blocks().get(1).timestamp()).endsWith("\uD83D\uDE00");
  }

  @Test
  void parseEach_validAndMalformedTexts_handsOverWhatParseReturnsAndTheSameProblem()
      throws IOException {
    String hash = "ab".repeat(32);
    String genesis = GO_CHAIN.substring(1, GO_CHAIN.indexOf("},{") + 1);
    List<String> texts =
        List.of(
            GO_CHAIN,
            "[]",
            "",
            "{}",
            "[1]",
            "[] x",
            "[" + genesis + ",7]",
            "[" + genesis + "," + genesis + "] trailing",
            "[" + genesis + ",{\"Index\":",
            "[\n" + genesis + ",\n  {\"Index\":1,\"Index\":1}]",
            block("-1", "0", hash),
            block("0", "7.5", hash),
            GO_CHAIN.replace("m=+1.524388092", "t\\ud800"),
            "[" + genesis + ",{\"Index\":1,\"Nonce\":1}]");

    for (String text : texts) {
      ParsedChain parsed = ChainJson.parse(stream(text));
      List<Block> handed = new ArrayList<>();

      Optional<ParsedChain.Malformed> problem = ChainJson.parseEach(stream(text), handed::add);

      if (parsed instanceof ParsedChain.Parsed whole) {
        assertThat(problem).as(text).isEmpty();
        assertThat(handed).as(text).isEqualTo(whole.blocks());
      } else {
        assertThat(problem).as(text).contains((ParsedChain.Malformed) parsed);
        assertThat(problem.get()).as(text).isEqualTo(ChainJson.parse(text));
      }
    }
  }

  @Test
  void parseEach_problemAfterTwoBlocks_hasHandedThemOverFirst() throws IOException {
    String genesis = GO_CHAIN.substring(1, GO_CHAIN.indexOf("},{") + 1);
    List<Block> handed = new ArrayList<>();

    Optional<ParsedChain.Malformed> problem =
        ChainJson.parseEach(stream("[" + genesis + ",\n" + genesis + ",\n\"x\"]"), handed::add);

    assertThat(handed).hasSize(2);
    assertThat(problem.orElseThrow().describe())
        .isEqualTo("line 3, column 1: block 2 is not a JSON object");
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String block(String index, String bpm, String hash) {
    return "[{\"Index\":"
        + index
        + ",\"Timestamp\":\"t\",\"BPM\":"
        + bpm
        + ",\"Hash\":\""
        + hash
        + "\",\"PrevHash\":\"\",\"Validator\":\"\"}]";
  }

  private static ParsedChain.Malformed malformed(String json) {
    ParsedChain parsed = ChainJson.parse(json);
    assertThat(parsed).isInstanceOf(ParsedChain.Malformed.class);
    return (ParsedChain.Malformed) parsed;
  }
}
