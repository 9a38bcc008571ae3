package io.github.posj.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Sha256HashFunction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class HashOnionTest {
  private static Hash sha256(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Sha256HashFunction.instance().digest(bytes, 0, bytes.length);
  }

  /** network-design.md section 2.3's worked example, computed independently in Python. */
  @Test
  void workedExample() {
    HashOnion onion = HashOnion.of(sha256("example onion secret"), 4);
    assertThat(onion.commitment().hex()).startsWith("36dd7ce0").endsWith("00e3");
    assertThat(onion.revealAfter(onion.commitment()).orElseThrow().hex())
        .startsWith("ee2fff56")
        .endsWith("2949");
  }

  @Test
  void revealsWalkDownTheOnionUntilItIsUsedUp() {
    HashOnion onion = HashOnion.of(sha256("s"), 3);
    Hash last = onion.commitment();
    for (int j = 1; j <= 3; j++) {
      Hash reveal = onion.revealAfter(last).orElseThrow();
      assertThat(HashOnion.chains(reveal, last)).isTrue();
      assertThat(HashOnion.chains(last, reveal)).isFalse();
      assertThat(reveal).isEqualTo(onion.valueAt(3 - j));
      last = reveal;
    }
    assertThat(last).isEqualTo(onion.secret());
    assertThat(onion.revealAfter(last)).isEmpty();
    assertThat(onion.revealAfter(sha256("not in it"))).isEmpty();
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> HashOnion.of(sha256("s"), 0))
        .hasMessage("an onion has 1 to 16777216 layers, got 0");
    assertThatThrownBy(() -> HashOnion.of(Hash.EMPTY, 4)).hasMessageContaining("32 bytes");
    assertThat(HashOnion.of(sha256("s"), 4).toString()).doesNotContain(sha256("s").hex());
  }
}
