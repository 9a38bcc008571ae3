package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.hash.Hash;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The rule of {@link SigningGuard}, as {@link InMemorySigningGuard} keeps it. */
final class InMemorySigningGuardTest {
  private static final Hash A = hash(1);
  private static final Hash B = hash(2);

  private final InMemorySigningGuard guard = new InMemorySigningGuard();

  @Test
  void check_nothingSigned_allowsAnySlot() throws Exception {
    guard.check(1, A);
    guard.check(9, B);

    assertThat(guard.signedSlot()).isEmpty();
  }

  @Test
  void check_sameBlockAgain_isAllowed() throws Exception {
    guard.record(5, A);

    guard.check(5, A);
    guard.record(5, A);

    assertThat(guard.signedSlot()).contains(5L);
  }

  @Test
  void check_laterSlot_isAllowed() throws Exception {
    guard.record(5, A);

    guard.check(6, B);
  }

  @Test
  void check_otherBlockForSignedSlot_isRefused() {
    guard.record(5, A);

    assertThatThrownBy(() -> guard.check(5, B))
        .isInstanceOfSatisfying(
            SigningRefusedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(SigningRefusedException.Reason.OTHER_BLOCK_FOR_SLOT);
              assertThat(e.signedHash()).isEqualTo(A);
            })
        .hasMessage(
            "refusing to sign block "
                + B.hex()
                + " for slot 5: block "
                + A.hex()
                + " was already signed for that slot");
  }

  @Test
  void check_olderSlot_isRefused() {
    guard.record(5, A);

    assertThatThrownBy(() -> guard.check(4, B))
        .isInstanceOfSatisfying(
            SigningRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(SigningRefusedException.Reason.OLDER_SLOT))
        .hasMessageEndingWith("was already signed for the later slot 5");
  }

  @Test
  void record_withoutAllowedCheck_throwsAndKeepsTheRecord() {
    guard.record(5, A);

    assertThatThrownBy(() -> guard.record(5, B)).isInstanceOf(IllegalStateException.class);
    assertThat(guard.signedSlot()).contains(5L);
  }

  private static Hash hash(int fill) {
    byte[] bytes = new byte[Hash.LENGTH];
    Arrays.fill(bytes, (byte) fill);
    return Hash.of(bytes);
  }
}
