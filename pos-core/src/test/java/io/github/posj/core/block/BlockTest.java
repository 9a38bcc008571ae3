package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import org.junit.jupiter.api.Test;

final class BlockTest {
  private static final Hash SOME_HASH = Hash.fromHex("ab".repeat(32));

  @Test
  void constructor_unpairedSurrogateTimestamp_isRejected() {
    // getBytes(UTF_8) writes a lone surrogate as '?': "t\uD800" would share a preimage with "t?".
    for (String timestamp : new String[] {"t\uD800", "t\uDC00", "\uDC00\uD800", "\uD83D"}) {
      assertThatThrownBy(() -> block(timestamp))
          .as("timestamp %s", timestamp.chars().boxed().toList())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Timestamp")
          .hasMessageContaining("unpaired surrogate");
    }
    assertThatThrownBy(() -> block("t\uD800")).hasMessageContaining("U+D800 at character 1");
  }

  @Test
  void constructor_pairedSurrogates_areAccepted() {
    assertThat(block("t\uD83D\uDE00").timestamp()).isEqualTo("t\uD83D\uDE00");
    assertThat(block("t?").timestamp()).isEqualTo("t?");
  }

  @Test
  void constructor_tooLongTimestamp_statesTheLimitAndTheLength() {
    assertThatThrownBy(() -> block("x".repeat(Block.MAX_TIMESTAMP_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a block's Timestamp has at most "
                + Block.MAX_TIMESTAMP_LENGTH
                + " characters, got "
                + (Block.MAX_TIMESTAMP_LENGTH + 1));
  }

  private static Block block(String timestamp) {
    return new Block(1, timestamp, 72, SOME_HASH, Hash.EMPTY, ValidatorId.NONE);
  }
}
