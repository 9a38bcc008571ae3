package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

final class GoTimestampTest {
  @Test
  void format_nanoseconds_likeGoTimeString() {
    assertThat(GoTimestamp.format(Instant.parse("2026-11-24T05:37:41.440478369Z")))
        .isEqualTo("2026-11-24 05:37:41.440478369 +0000 UTC");
  }

  @Test
  void format_trailingZeros_areTrimmed() {
    assertThat(GoTimestamp.format(Instant.parse("2026-11-24T05:37:41.5Z")))
        .isEqualTo("2026-11-24 05:37:41.5 +0000 UTC");
    assertThat(GoTimestamp.format(Instant.parse("2026-11-24T05:37:41.000120Z")))
        .isEqualTo("2026-11-24 05:37:41.00012 +0000 UTC");
  }

  @Test
  void format_wholeSecond_hasNoFraction() {
    assertThat(GoTimestamp.format(Instant.parse("2026-01-02T03:04:05Z")))
        .isEqualTo("2026-01-02 03:04:05 +0000 UTC");
  }
}
