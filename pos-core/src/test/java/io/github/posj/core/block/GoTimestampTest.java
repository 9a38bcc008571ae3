package io.github.posj.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Test
  void parseCanonical_everyDayOfEveryFourDigitYear_isTheDayJavaTimeGives() {
    // Each of the 3,652,425 days from 0000-01-01 to 9999-12-31, at a time of day that moves.
    LocalDate last = LocalDate.of(9999, 12, 31);
    int checked = 0;
    for (LocalDate day = LocalDate.of(0, 1, 1); !day.isAfter(last); day = day.plusDays(1)) {
      int second = checked % 86_400;
      Instant instant =
          day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(second).plusNanos(checked % 7);
      String text = GoTimestamp.format(instant);
      if (!GoTimestamp.parseCanonical(text).equals(Optional.of(instant))) {
        assertThat(GoTimestamp.parseCanonical(text)).as(text).contains(instant);
      }
      checked++;
    }
    assertThat(checked).isEqualTo(3_652_425);
  }

  @Test
  void parseCanonical_impossibleDates_areRefused() {
    assertThat(GoTimestamp.parseCanonical("2024-02-29 00:00:00 +0000 UTC")).isPresent();
    assertThat(GoTimestamp.parseCanonical("2000-02-29 00:00:00 +0000 UTC")).isPresent();
    assertThat(GoTimestamp.parseCanonical("0000-02-29 00:00:00 +0000 UTC")).isPresent();
    for (String text :
        new String[] {
          "2026-02-29 00:00:00 +0000 UTC",
          "1900-02-29 00:00:00 +0000 UTC",
          "2026-04-31 00:00:00 +0000 UTC",
          "2026-12-32 00:00:00 +0000 UTC",
          "2026-00-01 00:00:00 +0000 UTC",
          "2026-13-01 00:00:00 +0000 UTC",
          "2026-01-00 00:00:00 +0000 UTC",
          "2026-01-01 24:00:00 +0000 UTC",
          "2026-01-01 00:60:00 +0000 UTC",
          "2026-01-01 00:00:60 +0000 UTC",
          "2026-01-01 00:00:00. +0000 UTC",
          "2026-01-01 00:00:00.0 +0000 UTC",
          "2026-01-01 00:00:00.1234567891 +0000 UTC",
          "2026-01-01 00:00:00,5 +0000 UTC",
          "2026-01-01T00:00:00 +0000 UTC",
          "\u0662026-01-01 00:00:00 +0000 UTC",
          "+2026-01-01 00:00:00 +0000 UTC",
          "-2026-01-01 00:00:00 +0000 UTC",
          "12026-01-01 00:00:00 +0000 UTC",
          "2026-01-01 00:00:00 +0000 UTC ",
          "2026-01-01 00:00:00 +0000 UTC m=+0.000000001",
          ""
        }) {
      assertThat(GoTimestamp.parseCanonical(text)).as(text).isEmpty();
    }
  }

  @Test
  void parseCanonical_randomEdits_answerAsTheFormerPatternAndJavaTimeReader() {
    // The reader this one replaced (a pattern, LocalDateTime, then format and compare), kept here
    // as the reference: 200,000 valid texts with a random character changed, added or removed.
    Random random = new Random(20261130);
    String alphabet = "0123456789012345678901234567890123456789.-: +UTCx\u0660\uff11";
    for (int i = 0; i < 200_000; i++) {
      long seconds = random.nextLong() % 253_402_300_800L; // 0000 to 9999 when positive
      Instant instant =
          Instant.ofEpochSecond(Math.abs(seconds) - 62_167_219_200L, randomNanos(random));
      StringBuilder text = new StringBuilder(GoTimestamp.format(instant));
      int at = random.nextInt(text.length() + 1);
      char c = alphabet.charAt(random.nextInt(alphabet.length()));
      switch (random.nextInt(4)) {
        case 0 -> text.insert(at, c);
        case 1 -> {
          if (at < text.length()) {
            text.deleteCharAt(at);
          }
        }
        case 2 -> {
          if (at < text.length()) {
            text.setCharAt(at, c);
          }
        }
        default -> {} // unchanged
      }
      String edited = text.toString();
      assertThat(GoTimestamp.parseCanonical(edited)).as(edited).isEqualTo(formerReader(edited));
    }
  }

  private static int randomNanos(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextInt(10) * 100_000_000;
      case 2 -> random.nextInt(1000) * 1_000_000;
      default -> random.nextInt(1_000_000_000);
    };
  }

  private static final Pattern FORMER =
      Pattern.compile(
          "([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,9}))?"
              + " \\+0000 UTC");

  private static Optional<Instant> formerReader(String text) {
    Matcher m = FORMER.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    Instant instant;
    try {
      LocalDateTime t =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)));
      String fraction = m.group(7) == null ? "" : m.group(7);
      int nanos =
          fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
      instant = t.toInstant(ZoneOffset.UTC).plusNanos(nanos);
    } catch (DateTimeException e) {
      return Optional.empty();
    }
    return GoTimestamp.format(instant).equals(text) ? Optional.of(instant) : Optional.empty();
  }
}
