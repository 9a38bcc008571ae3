package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import io.github.posj.core.testing.Vectors;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

final class GoTutorialHashSchemeTest {
  private final HashScheme scheme = HashScheme.goTutorial();

  /** The vectors come from generate.py, whose first rows match the hashes Go printed. */
  @Test
  void hash_knownAnswerVectors_matchTheGoProgram() {
    for (JsonNode vector : Vectors.cases("go-tutorial-hash.json")) {
      Hash hash =
          scheme.hash(
              Vectors.int64(vector.get("Index")),
              vector.get("Timestamp").asText(),
              Vectors.int64(vector.get("BPM")),
              Hash.fromHex(vector.get("PrevHash").asText()),
              ValidatorId.NONE);

      assertThat(hash.hex()).as("vector %s", vector).isEqualTo(vector.get("Hash").asText());
    }
  }

  @Test
  void writeGoRune_knownCodePoints_matchGoStringConversion() {
    assertThat(rune(72)).isEqualTo("48");
    assertThat(rune(200)).isEqualTo("c388");
    assertThat(rune(0x10FFFF)).isEqualTo("f48fbfbf");
    assertThat(rune(-5)).isEqualTo("efbfbd");
    assertThat(rune(0xD800)).isEqualTo("efbfbd");
    assertThat(rune(0x110000)).isEqualTo("efbfbd");
    assertThat(rune((1L << 32) + 72))
        .as("int64 outside int32 is U+FFFD, not 'H'")
        .isEqualTo("efbfbd");
  }

  private static String rune(long value) {
    byte[] buffer = new byte[4];
    int length = GoTutorialHashScheme.writeGoRune(buffer, 0, value);
    return HexFormat.of().formatHex(buffer, 0, length);
  }

  @Test
  void genesis_isHashedWhileEmpty_likeTheOriginal() {
    Block genesis = scheme.genesis("2026-11-24 05:37:39.918131413 +0000 UTC m=+0.002041026");

    assertThat(genesis.hash().hex()).isEqualTo(GoTutorialHashScheme.GENESIS_HASH_HEX);
    assertThat(scheme.verifies(genesis)).as("does not match its own fields").isFalse();
    assertThat(scheme.verifiesGenesis(genesis)).isTrue();
  }

  @Test
  void verifiesGenesis_otherHash_isRejected() {
    Block genesis = TestBlocks.withHash(scheme.genesis("t"), Hash.fromHex("ab".repeat(32)));

    assertThat(scheme.verifiesGenesis(genesis)).isFalse();
  }

  @Test
  void hash_ignoresValidator_theTutorialsWeakness() {
    Block block = scheme.seal(1, "t", 72, Hash.EMPTY, TestValidators.validator(1));

    assertThat(scheme.verifies(TestBlocks.withValidator(block, TestValidators.validator(2))))
        .isTrue();
  }

  @Test
  void hash_invalidCodePointBpms_collide() {
    Hash a = scheme.hash(3, "t", -5, Hash.EMPTY, ValidatorId.NONE);
    Hash b = scheme.hash(3, "t", 2_000_000, Hash.EMPTY, ValidatorId.NONE);

    assertThat(a).isEqualTo(b);
  }

  @Test
  void hash_unpairedSurrogate_isRejected() {
    assertThatThrownBy(() -> scheme.hash(1, "t\uD800", 72, Hash.EMPTY, ValidatorId.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate U+D800");
    assertThatThrownBy(() -> scheme.genesis("t\uDFFF"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate U+DFFF");
  }

  @Test
  void hash_nonAsciiTimestamp_isUtf8() {
    Hash viaScheme = scheme.hash(1, "\u00e9", 72, Hash.EMPTY, ValidatorId.NONE);
    Hash direct =
        io.github.posj.core.hash.HashFunction.sha256().digest(HexFormat.of().parseHex("01c3a948"));

    assertThat(viaScheme).isEqualTo(direct);
  }
}
