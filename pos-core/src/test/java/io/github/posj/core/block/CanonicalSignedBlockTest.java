package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.testing.LineEdits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SignedBlockJson#parseCanonical}: the fast path of a network-mode chain file's lines. */
final class CanonicalSignedBlockTest {
  private static final Hash GENESIS = Hash.of(filled(32, 7));

  private static Optional<SignedBlock> canonical(String line) {
    byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
    return SignedBlockJson.parseCanonical(bytes, 2, bytes.length - 4);
  }

  /** What the JSON parser makes of {@code line}: the block, or empty if it refuses it. */
  private static Optional<SignedBlock> parsed(String line) {
    try {
      return Optional.of(SignedBlockJson.parse(line));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static SignedBlock block(SplittableRandom random, String timestamp, long bpm) {
    SigningKey key = SigningKey.generate(random);
    return SignedBlock.sign(
        key,
        GENESIS,
        1 + random.nextLong(1_000_000_000_000L),
        1 + random.nextLong(1_000_000_000_000L),
        Hash.of(filled(32, random.nextInt(256))),
        Hash.of(filled(32, random.nextInt(256))),
        bpm,
        timestamp);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-01 00:00:07.5 +0000 UTC",
        "2026-12-01 00:00:00 +0000 UTC",
        "",
        "a'b(c)[d]{e}|~`!#$%^*_=+;:,./?"
      })
  void writtenBlocks_readBackAsTheSameBlockWithoutAParser(String timestamp) {
    SplittableRandom random = new SplittableRandom(timestamp.length());
    for (long bpm : new long[] {0, 72, -5, Long.MAX_VALUE / 1000, -999_999_999_999_999_999L}) {
      SignedBlock block = block(random, timestamp, bpm);
      String line = SignedBlockJson.write(block);

      assertThat(canonical(line)).contains(block);
      assertThat(parsed(line)).contains(block);
    }
  }

  @Test
  void lowestIndexAndSlot_andTheLargestThePathReads() {
    SplittableRandom random = new SplittableRandom(1);
    SigningKey key = SigningKey.generate(random);
    Hash h = Hash.of(filled(32, 1));
    for (long n : new long[] {1, 999_999_999_999_999_999L}) {
      SignedBlock block = SignedBlock.sign(key, GENESIS, n, n, h, h, 1, "t");
      assertThat(canonical(SignedBlockJson.write(block))).contains(block);
    }
    // 19 digits: valid, but left to the parser (which reads it).
    SignedBlock big = SignedBlock.sign(key, GENESIS, Long.MAX_VALUE, Long.MAX_VALUE, h, h, 1, "t");
    assertThat(canonical(SignedBlockJson.write(big))).isEmpty();
    assertThat(parsed(SignedBlockJson.write(big))).contains(big);
  }

  @Test
  void whatTheParserRefusesOrReadsDifferently_isLeftToIt() {
    SignedBlock block = block(new SplittableRandom(2), "t", 72);
    String line = SignedBlockJson.write(block);
    String slot = "\"Slot\":\"" + block.slot() + "\"";
    String key = block.publicKey().hex();
    String sig = block.signature().hex();
    String[] others = {
      line.replace(slot, "\"Slot\":\"0\""),
      line.replace(slot, "\"Slot\":\"0" + block.slot() + "\""),
      line.replace(slot, "\"Slot\":" + block.slot()),
      line.replace(slot, "\"Slot\":\"-" + block.slot() + "\""),
      line.replace("\"Index\":" + block.index(), "\"Index\":0"),
      line.replace(key, key.toUpperCase()),
      line.replace(key, key.substring(2)),
      line.replace(sig, sig.substring(0, 127) + "g"),
      line.replace(sig, sig + "00"),
      line.replace(block.reveal().hex(), ""),
      line.replace(block.block().prevHash().hex(), ""),
      line.replace("\"}", "\",\"Extra\":1}"),
      line.replace(",\"Slot\"", ", \"Slot\""),
      line.substring(0, line.length() - 1),
      line + " ",
      ChainJson.write(block.block())
    };
    for (String other : others) {
      assertThat(canonical(other)).as(other).isEmpty();
    }
  }

  @Test
  void randomEdits_theFastPathAcceptsOnlyWhatTheParserReadsTheSame() {
    // 100,000 written lines with a random byte changed, added or removed: wherever the fast path
    // gives a block, the JSON parser gives the same one.
    SplittableRandom random = new SplittableRandom(20261201);
    String[] lines = new String[64];
    for (int i = 0; i < lines.length; i++) {
      lines[i] =
          SignedBlockJson.write(block(random, "2026-12-01 00:00:0" + i % 10 + " +0000 UTC", i));
    }
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      String edited = LineEdits.edit(lines[random.nextInt(lines.length)], random);
      Optional<SignedBlock> fast = canonical(edited);
      if (fast.isPresent()) {
        accepted++;
        assertThat(parsed(edited)).as(edited).isEqualTo(fast);
      }
    }
    assertThat(accepted).isBetween(1_000, 99_000);
  }

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
