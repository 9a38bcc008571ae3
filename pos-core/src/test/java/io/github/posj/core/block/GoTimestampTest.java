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

  @Test
  void format_negativeYear_hasTheSignBeforeFourDigitsLikeGo() {
    // Go: time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC).String() == "-0005-01-01 00:00:00 +0000 UTC"
    assertThat(GoTimestamp.format(Instant.parse("-0005-01-01T00:00:00Z")))
        .isEqualTo("-0005-01-01 00:00:00 +0000 UTC");
    assertThat(GoTimestamp.format(Instant.parse("-12345-06-07T08:09:10.5Z")))
        .isEqualTo("-12345-06-07 08:09:10.5 +0000 UTC");
    assertThat(GoTimestamp.format(Instant.MIN)).isEqualTo("-1000000000-01-01 00:00:00 +0000 UTC");
  }

  @Test
  void format_yearZeroAndFiveDigitYears_likeGo() {
    assertThat(GoTimestamp.format(Instant.parse("0000-01-01T00:00:00Z")))
        .isEqualTo("0000-01-01 00:00:00 +0000 UTC");
    assertThat(GoTimestamp.format(Instant.parse("0042-03-04T05:06:07Z")))
        .isEqualTo("0042-03-04 05:06:07 +0000 UTC");
    assertThat(GoTimestamp.format(Instant.parse("+12345-01-01T00:00:00Z")))
        .isEqualTo("12345-01-01 00:00:00 +0000 UTC");
    assertThat(GoTimestamp.format(Instant.MAX))
        .isEqualTo("1000000000-12-31 23:59:59.999999999 +0000 UTC");
    assertThat(GoTimestamp.format(Instant.parse("+999999999-12-31T23:59:59Z")))
        .isEqualTo("999999999-12-31 23:59:59 +0000 UTC");
  }
}
