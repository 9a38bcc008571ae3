package io.github.posj.core.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.testing.TestNetwork;
import org.junit.jupiter.api.Test;

final class ForkChoiceTest {
  private static Hash hash(String hex) {
    return Hash.fromHex(hex.repeat(64 / hex.length()));
  }

  @Test
  void moreBlocksWinsWhateverTheHashes() {
    assertThat(ForkChoice.prefers(11, hash("ff"), 10, hash("00"))).isTrue();
    assertThat(ForkChoice.prefers(10, hash("00"), 11, hash("ff"))).isFalse();
  }

  @Test
  void equalLengthGoesToTheLowerHeadHashComparedAsUnsignedBytes() {
    assertThat(ForkChoice.prefers(10, hash("7f"), 10, hash("80"))).isTrue();
    assertThat(ForkChoice.prefers(10, hash("80"), 10, hash("7f"))).isFalse();
    // The same head is never preferred to itself: no switch back and forth.
    assertThat(ForkChoice.prefers(10, hash("7f"), 10, hash("7f"))).isFalse();
  }

  @Test
  void finalityIsTwoEpochsOfBlocksCapped() {
    assertThat(ForkChoice.finalityDepth(TestNetwork.withSlots(30, 8, 1).genesis())).isEqualTo(16);
    assertThat(ForkChoice.finalityDepth(TestNetwork.withSlots(30, 100_000, 1).genesis()))
        .isEqualTo(ForkChoice.MAX_FINALITY_DEPTH);
    assertThat(ForkChoice.finalizedIndex(TestNetwork.withSlots(30, 8, 1).genesis(), 10)).isZero();
    assertThat(ForkChoice.finalizedIndex(TestNetwork.withSlots(30, 8, 1).genesis(), 100))
        .isEqualTo(84);
  }
}
