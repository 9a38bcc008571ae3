package io.github.posj.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

final class HashTest {
  private static final String ABC_SHA256 =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void parseHexBytes_sameAnswersAsTheText() {
    String hex = "0123456789abcdef".repeat(4);
    byte[] bytes = ("[" + hex + "]").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    assertThat(Hash.parseHex(bytes, 1, 64)).isEqualTo(Hash.parseHex(hex));
    assertThat(Hash.parseHex(bytes, 1, 0)).contains(Hash.EMPTY);
    assertThat(Hash.parseHex(bytes, 1, 62)).isEmpty();
    for (String bad : new String[] {"A", "g", "/", ":", "`", " ", "\u00e9"}) {
      byte[] wrong = (bad + hex.substring(1)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(Hash.parseHex(wrong, wrong.length - 64, 64)).as(bad).isEmpty();
    }
    byte[] high = hex.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    high[63] = (byte) 0xb0;
    assertThat(Hash.parseHex(high, 0, 64)).isEmpty();
  }

  @Test
  void sha256_knownAnswer_matchesFips180Example() {
    Hash hash = HashFunction.sha256().digest("abc".getBytes(StandardCharsets.US_ASCII));

    assertThat(hash.hex()).isEqualTo(ABC_SHA256);
  }

  /** Every byte value, in every position, written as the JDK's HexFormat writes it. */
  @Test
  void hexAndWriteHexAscii_everyByteValue_asHexFormat() {
    for (int start = 0; start < 256; start += Hash.LENGTH) {
      byte[] bytes = new byte[Hash.LENGTH];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (start + i);
      }
      Hash hash = Hash.of(bytes);
      String expected = java.util.HexFormat.of().formatHex(bytes);
      byte[] written = new byte[3 + Hash.HEX_LENGTH];
      int length = hash.writeHexAscii(written, 3);

      assertThat(hash.hex()).isEqualTo(expected);
      assertThat(length).isEqualTo(Hash.HEX_LENGTH);
      assertThat(new String(written, 3, length, StandardCharsets.US_ASCII)).isEqualTo(expected);
      assertThat(written[0]).isZero();
      byte[] tight = new byte[Hash.HEX_LENGTH + 2];
      hash.writeHexAscii(tight, 1);
      assertThat(tight[0]).isZero();
      assertThat(tight[tight.length - 1]).isZero();
    }
    assertThatThrownBy(() -> Hash.of(new byte[32]).writeHexAscii(new byte[64], 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  /**
   * Every byte lands in its place, the neighbours stay untouched, and the empty hash writes none.
   */
  @Test
  void copyTo_everyPositionAtSeveralOffsets_copiesExactlyTheBytes() {
    byte[] bytes = new byte[Hash.LENGTH];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (0x80 + 3 * i);
    }
    Hash hash = Hash.of(bytes);
    for (int offset : new int[] {0, 1, 5, 8, 17}) {
      byte[] destination = new byte[offset + Hash.LENGTH + 3];
      Arrays.fill(destination, (byte) 0x5a);

      hash.copyTo(destination, offset);

      assertThat(Arrays.copyOfRange(destination, offset, offset + Hash.LENGTH)).isEqualTo(bytes);
      for (int i = 0; i < offset; i++) {
        assertThat(destination[i]).as("before, at %d", i).isEqualTo((byte) 0x5a);
      }
      for (int i = offset + Hash.LENGTH; i < destination.length; i++) {
        assertThat(destination[i]).as("after, at %d", i).isEqualTo((byte) 0x5a);
      }
    }
    byte[] untouched = {1, 2, 3};
    Hash.EMPTY.copyTo(untouched, 3);
    assertThat(untouched).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> hash.copyTo(new byte[Hash.LENGTH + 4], 5))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  /**
   * The four-byte step of the hex writer: every byte value in each of the four lanes (beside
   * neighbours of every digit class), and a spread of other words, as {@code %08x} writes them.
   */
  @Test
  void hexDigits_everyByteValueInEveryLane_asFormat() {
    int[] neighbours = {0x00000000, 0xffffffff, 0x09a0f19a, 0xa09f0a1f};
    for (int lane = 0; lane < 4; lane++) {
      for (int b = 0; b < 256; b++) {
        for (int around : neighbours) {
          int shift = 8 * lane;
          int four = (around & ~(0xff << shift)) | (b << shift);
          assertHexDigits(four);
        }
      }
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(20261130);
    for (int i = 0; i < 100_000; i++) {
      assertHexDigits(random.nextInt());
    }
  }

  private static void assertHexDigits(int four) {
    byte[] digits = new byte[8];
    long packed = Hash.hexDigits(four);
    for (int i = 0; i < 8; i++) {
      digits[i] = (byte) (packed >>> (56 - 8 * i));
    }
    assertThat(new String(digits, StandardCharsets.US_ASCII))
        .as("%08x", four)
        .isEqualTo(String.format("%08x", four));
  }

  @Test
  void fromHex_roundTrips_andComparesByContent() {
    Hash hash = Hash.fromHex(ABC_SHA256);

    assertThat(hash.hex()).isEqualTo(ABC_SHA256);
    assertThat(hash)
        .isEqualTo(Hash.of(hash.toByteArray()))
        .hasSameHashCodeAs(Hash.of(hash.toByteArray()));
    assertThat(hash.length()).isEqualTo(Hash.LENGTH);
  }

  @Test
  void fromHex_emptyString_isTheEmptyHash() {
    assertThat(Hash.fromHex("")).isSameAs(Hash.EMPTY);
    assertThat(Hash.EMPTY.isEmpty()).isTrue();
    assertThat(Hash.EMPTY.hex()).isEmpty();
  }

  @Test
  void parseHex_uppercaseShortOrNonHex_isRejected() {
    assertThat(Hash.parseHex(ABC_SHA256.toUpperCase())).isEmpty();
    assertThat(Hash.parseHex(ABC_SHA256.substring(2))).isEmpty();
    assertThat(Hash.parseHex(ABC_SHA256.substring(1) + "g")).isEmpty();
    assertThatThrownBy(() -> Hash.fromHex("xyz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 lowercase hex")
        .hasMessageContaining("xyz");
  }

  @Test
  void of_wrongLength_isRejectedWithBothLengths() {
    assertThatThrownBy(() -> Hash.of(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32")
        .hasMessageContaining("31");
  }

  @Test
  void of_copiesInputAndOutput() {
    byte[] bytes = new byte[32];
    Hash hash = Hash.of(bytes);
    bytes[0] = 1;
    hash.toByteArray()[1] = 1;

    assertThat(hash.toByteArray()).containsOnly(0);
  }

  @Test
  void compareTo_ordersUnsignedWithEmptyFirst() {
    Hash low = Hash.fromHex("00".repeat(32));
    Hash high = Hash.fromHex("ff".repeat(32));

    assertThat(low).isLessThan(high);
    assertThat(Hash.EMPTY).isLessThan(low);
  }
}
