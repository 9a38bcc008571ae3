package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The encoding is unambiguous: a decoder recovers every field from the bytes alone, so two
 * different blocks can never share a preimage. Text with no UTF-8 form (an unpaired surrogate) is
 * refused rather than encoded as another text's bytes.
 */
final class BlockEncodingPropertyTest {

  record Fields(long index, String timestamp, long bpm, Hash prevHash, ValidatorId validator) {}

  @Property(tries = 500)
  void decode_ofEncode_returnsTheSameFieldsOrRejectsUnpairedSurrogates(
      @ForAll @LongRange(min = 0) long index,
      @ForAll("timestamps") String timestamp,
      @ForAll long bpm,
      @ForAll("hashes") Hash prevHash,
      @ForAll("hashes") Hash validator) {
    // An unpaired surrogate has no UTF-8 form: it does not survive the round trip.
    boolean unpaired =
        !new String(timestamp.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
            .equals(timestamp);
    Statistics.label("unpaired surrogate").collect(unpaired);
    Statistics.label("unpaired surrogate")
        .coverage(
            coverage -> {
              coverage.check(true).percentage(p -> p >= 10);
              coverage.check(false).percentage(p -> p >= 30);
            });
    ValidatorId validatorId = new ValidatorId(validator);

    if (unpaired) {
      assertThatThrownBy(() -> BlockEncoding.encode(index, timestamp, bpm, prevHash, validatorId))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unpaired surrogate");
    } else {
      byte[] encoding = BlockEncoding.encode(index, timestamp, bpm, prevHash, validatorId);

      assertThat(decode(encoding))
          .isEqualTo(new Fields(index, timestamp, bpm, prevHash, validatorId));
    }
  }

  /** Any text, and text rich in surrogates, paired and not, up to the longest timestamp. */
  @Provide
  Arbitrary<String> timestamps() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(Block.MAX_TIMESTAMP_LENGTH),
        Arbitraries.strings()
            .withChars('a', '\u00e9', '\u6771', '\uD83D', '\uDE00', '\uD800', '\uDFFF')
            .ofMaxLength(Block.MAX_TIMESTAMP_LENGTH));
  }

  @Provide
  Arbitrary<Hash> hashes() {
    return Arbitraries.oneOf(
        Arbitraries.just(Hash.EMPTY),
        Arbitraries.bytes().array(byte[].class).ofSize(Hash.LENGTH).map(Hash::of));
  }

  private static Fields decode(byte[] bytes) {
    int[] p = {0};
    assertThat(bytes[p[0]++]).isEqualTo(BlockEncoding.VERSION);
    long index = readVarint(bytes, p);
    long zigzag = readVarint(bytes, p);
    long bpm = (zigzag >>> 1) ^ -(zigzag & 1);
    Hash prevHash = readTagged(bytes, p);
    Hash validator = readTagged(bytes, p);
    int length = (int) readVarint(bytes, p);
    String timestamp = new String(bytes, p[0], length, StandardCharsets.UTF_8);
    assertThat(p[0] + length).as("no trailing bytes").isEqualTo(bytes.length);
    return new Fields(index, timestamp, bpm, prevHash, new ValidatorId(validator));
  }

  private static long readVarint(byte[] bytes, int[] p) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = bytes[p[0]++];
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
  }

  private static Hash readTagged(byte[] bytes, int[] p) {
    byte tag = bytes[p[0]++];
    if (tag == 0) {
      return Hash.EMPTY;
    }
    assertThat(tag).isEqualTo((byte) 1);
    Hash hash = Hash.of(Arrays.copyOfRange(bytes, p[0], p[0] + Hash.LENGTH));
    p[0] += Hash.LENGTH;
    return hash;
  }
}
