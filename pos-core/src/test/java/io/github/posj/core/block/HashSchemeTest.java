package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestValidators;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every {@link HashScheme} keeps, checked for each scheme. */
final class HashSchemeTest {
  private static final Hash PREV = Hash.fromHex("ab".repeat(32));

  static List<HashScheme> schemes() {
    return HashScheme.all();
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void hash_timestampOverTheLimit_isRejectedWithLimitAndLength(HashScheme scheme) {
    // 456 overflowed the go-tutorial buffer and 500 the posj one (ArrayIndexOutOfBounds).
    for (int length : new int[] {Block.MAX_TIMESTAMP_LENGTH + 1, 456, 500}) {
      for (String timestamp : List.of("x".repeat(length), "\u6771".repeat(length))) {
        String expected =
            "a block's Timestamp has at most "
                + Block.MAX_TIMESTAMP_LENGTH
                + " characters, got "
                + length;

        assertRejected(() -> scheme.hash(0, timestamp, 0, Hash.EMPTY, ValidatorId.NONE), expected);
        assertRejected(() -> scheme.hash(7, timestamp, -1, PREV, validator()), expected);
        assertRejected(() -> scheme.seal(7, timestamp, 72, PREV, validator()), expected);
        assertRejected(() -> scheme.genesis(timestamp), expected);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void hash_longestTimestamps_fitTheBuffers(HashScheme scheme) {
    int max = Block.MAX_TIMESTAMP_LENGTH;
    for (String timestamp :
        List.of("x".repeat(max), "\u6771".repeat(max), "\uD83D\uDE00".repeat(max / 2))) {
      Block block = scheme.seal(Long.MAX_VALUE, timestamp, Long.MIN_VALUE, PREV, validator());

      assertThat(scheme.verifies(block)).isTrue();
    }
  }

  private static ValidatorId validator() {
    return TestValidators.validator(1);
  }

  private static void assertRejected(ThrowingCallable call, String expectedMessage) {
    assertThatThrownBy(call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expectedMessage);
  }
}
