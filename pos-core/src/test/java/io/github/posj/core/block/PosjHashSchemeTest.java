package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import io.github.posj.core.testing.Vectors;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

final class PosjHashSchemeTest {
  private final HashScheme scheme = HashScheme.posj();

  /** generate.py implements the encoding independently, in Python. */
  @Test
  void hashAndEncoding_knownAnswerVectors_match() {
    for (JsonNode vector : Vectors.cases("posj-hash.json")) {
      long index = Vectors.int64(vector.get("Index"));
      String timestamp = vector.get("Timestamp").asText();
      long bpm = Vectors.int64(vector.get("BPM"));
      Hash prevHash = Hash.fromHex(vector.get("PrevHash").asText());
      ValidatorId validator = ValidatorId.fromHex(vector.get("Validator").asText());

      byte[] encoding = BlockEncoding.encode(index, timestamp, bpm, prevHash, validator);

      assertThat(HexFormat.of().formatHex(encoding))
          .as("preimage of %s", vector)
          .isEqualTo(vector.get("preimage").asText());
      assertThat(scheme.hash(index, timestamp, bpm, prevHash, validator).hex())
          .isEqualTo(vector.get("Hash").asText());
    }
  }

  @Test
  void hash_splitBetweenIndexAndTimestamp_differs() {
    // Concatenating decimal text would give "1"+"23" == "12"+"3"; the encoding must not.
    Hash a = scheme.hash(1, "23", 0, Hash.EMPTY, ValidatorId.NONE);
    Hash b = scheme.hash(12, "3", 0, Hash.EMPTY, ValidatorId.NONE);

    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void hash_unpairedSurrogate_isRejected() {
    // UTF-8 has no form for a lone surrogate; getBytes would write '?' and "t\uD800" would hash
    // as "t?".
    assertThatThrownBy(() -> scheme.hash(1, "t\uD800", 72, Hash.EMPTY, ValidatorId.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate U+D800");
    assertThatThrownBy(() -> BlockEncoding.encode(1, "\uDC00t", 72, Hash.EMPTY, ValidatorId.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate U+DC00");
    assertThatThrownBy(() -> scheme.seal(1, "t\uD800", 72, Hash.EMPTY, ValidatorId.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(scheme.hash(1, "t?", 72, Hash.EMPTY, ValidatorId.NONE))
        .isNotEqualTo(scheme.hash(1, "t\uD83D\uDE00", 72, Hash.EMPTY, ValidatorId.NONE));
  }

  @Test
  void hash_emptyPrevHashVersusValidator_differs() {
    ValidatorId v = TestValidators.validator(1);
    Hash a = scheme.hash(1, "t", 0, Hash.EMPTY, v);
    Hash b = scheme.hash(1, "t", 0, v.value(), ValidatorId.NONE);

    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void hash_coversValidator_soReattributionIsDetected() {
    Block block = scheme.seal(1, "t", 72, Hash.EMPTY, TestValidators.validator(1));

    assertThat(scheme.verifies(block)).isTrue();
    assertThat(scheme.verifies(TestBlocks.withValidator(block, TestValidators.validator(2))))
        .isFalse();
    assertThat(scheme.verifies(TestBlocks.withBpm(block, 73))).isFalse();
  }

  @Test
  void encode_charactersWhoseLowByteIsAscii_areWrittenAsUtf8() {
    // The ASCII path copies each character's low byte. U+0141, U+00E9 and U+6771 have the low
    // bytes of 'A', 0xE9 and 'q': a timestamp of them must still be written as its UTF-8, whether
    // it is the whole text, its first character or its last, so it never shares the preimage of
    // "2026-A" and the like.
    for (String timestamp :
        new String[] {
          "2026-\u0141",
          "\u01412026",
          "2026-11-24 05:37:41.440478369 +0000 UT\u0141",
          "\u6771",
          "caf\u00e9",
          "\u0141".repeat(Block.MAX_TIMESTAMP_LENGTH)
        }) {
      byte[] utf8 = timestamp.getBytes(StandardCharsets.UTF_8);

      byte[] encoding = BlockEncoding.encode(7, timestamp, 7, Hash.EMPTY, ValidatorId.NONE);

      assertThat(Arrays.copyOfRange(encoding, encoding.length - utf8.length, encoding.length))
          .as(timestamp)
          .isEqualTo(utf8);
      assertThat(encoding.length)
          .as("%s: version, Index, BPM, two empty tags, length prefix, text", timestamp)
          .isEqualTo(5 + (utf8.length < 128 ? 1 : 2) + utf8.length);
    }
    assertThat(scheme.hash(7, "2026-\u0141", 72, Hash.EMPTY, ValidatorId.NONE))
        .isNotEqualTo(scheme.hash(7, "2026-A", 72, Hash.EMPTY, ValidatorId.NONE));
  }

  /** Index and BPM at each varint length's edges, against a plain LEB128 loop. */
  @Test
  void encode_varintLengthEdges_asPlainLeb128() {
    long[] indexes = {
      0, 1, 127, 128, 16_383, 16_384, (1L << 21) - 1, 1L << 21, 1L << 35, Long.MAX_VALUE
    };
    long[] bpms = {0, -1, 1, -64, 63, 64, -65, -8192, 8191, 8192, Long.MIN_VALUE, Long.MAX_VALUE};
    for (long index : indexes) {
      for (long bpm : bpms) {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(BlockEncoding.VERSION);
        writeLeb128(expected, index);
        writeLeb128(expected, (bpm << 1) ^ (bpm >> 63));
        expected.writeBytes(new byte[] {0, 0, 1, 't'});

        assertThat(BlockEncoding.encode(index, "t", bpm, Hash.EMPTY, ValidatorId.NONE))
            .as("Index %d, BPM %d", index, bpm)
            .isEqualTo(expected.toByteArray());
      }
    }
  }

  private static void writeLeb128(ByteArrayOutputStream out, long value) {
    long v = value;
    do {
      long low = v & 0x7F;
      v >>>= 7;
      out.write((int) (v == 0 ? low : low | 0x80));
    } while (v != 0);
  }

  @Test
  void encode_nodeBlock_fitsTwoSha256CompressionBlocks() {
    Block block =
        scheme.seal(
            1_000_000,
            TestBlocks.timestamp(123_456),
            180,
            Hash.fromHex("ab".repeat(32)),
            TestValidators.validator(1));

    assertThat(BlockEncoding.encode(block)).hasSizeLessThanOrEqualTo(119);
  }

  @Test
  void encode_longestTimestamp_fitsMaxLength() {
    String timestamp = "\u6771".repeat(Block.MAX_TIMESTAMP_LENGTH);
    byte[] encoding =
        BlockEncoding.encode(
            Long.MAX_VALUE,
            timestamp,
            Long.MIN_VALUE,
            Hash.fromHex("ab".repeat(32)),
            TestValidators.validator(1));

    assertThat(encoding.length).isLessThanOrEqualTo(BlockEncoding.MAX_LENGTH);
  }

  @Test
  void encode_timestampOverTheLimit_isRejectedWithLimitAndLength() {
    assertThatThrownBy(
            () -> BlockEncoding.encode(0, "x".repeat(500), 0, Hash.EMPTY, ValidatorId.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a block's Timestamp has at most "
                + Block.MAX_TIMESTAMP_LENGTH
                + " characters, got 500");
  }

  @Test
  void encodeInto_bufferTooShort_isRejectedWithSizes() {
    byte[] buffer = new byte[BlockEncoding.MAX_LENGTH - 1];

    assertThatThrownBy(
            () -> BlockEncoding.encodeInto(buffer, 0, "t", 0, Hash.EMPTY, ValidatorId.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the buffer holds at least "
                + BlockEncoding.MAX_LENGTH
                + " bytes, got "
                + (BlockEncoding.MAX_LENGTH - 1));
  }

  @Test
  void named_knownAndUnknownNames() {
    assertThat(HashScheme.named("POSJ")).contains(HashScheme.posj());
    assertThat(HashScheme.named("go-tutorial")).contains(HashScheme.goTutorial());
    assertThat(HashScheme.named("md5")).isEmpty();
  }
}
