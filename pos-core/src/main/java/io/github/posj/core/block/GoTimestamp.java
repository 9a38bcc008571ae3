package io.github.posj.core.block;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * Formats instants the way the tutorial's blocks carry them: Go's {@code time.Time.String()} in
 * UTC, without the monotonic-clock suffix, e.g. {@code 2026-11-24 05:37:41.440478369 +0000 UTC}.
 *
 * <p>The year has at least four digits, after a minus sign if it is negative ({@code -0005} for 6
 * BC: year 0 is 1 BC, in Go as in {@code java.time}), and more when it needs them ({@code 12345}).
 * The fraction has trailing zeros removed, and is left out when it is zero, as Go does. The
 * original also appends {@code m=+<seconds since start>}; that is process-local, so posj leaves it
 * out (a block's hash covers the timestamp as written, so both forms verify).
 *
 * <p>Immutable; thread-safe.
 */
public final class GoTimestamp {
  /** The Gregorian calendar repeats every 400 years (146,097 days). */
  private static final long SECONDS_PER_400_YEARS = 146_097L * 86_400;

  private static final long FIRST_LOCAL_SECOND = LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC);
  private static final long LAST_LOCAL_SECOND = LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC);

  /** {@code YYYY-MM-DD HH:MM:SS}: the part before the fraction. */
  private static final int DATE_TIME_LENGTH = 19;

  /** What follows the seconds (and the fraction): the zone, always UTC. */
  private static final String ZONE = " +0000 UTC";

  /** 10^(9 - digits): a fraction's digits to nanoseconds. */
  private static final int[] NANOS_PER_UNIT = {
    1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  private GoTimestamp() {}

  /**
   * The instant that {@code text} denotes if it is exactly what {@link #format} writes for it with
   * a four-digit year ({@code 2026-12-01 00:00:07.5 +0000 UTC}); empty otherwise, e.g. for a
   * trailing zero in the fraction, another zone, a monotonic-clock suffix or an impossible date.
   * Network-mode blocks must carry such a timestamp, so that it denotes one instant in one way.
   */
  public static Optional<Instant> parseCanonical(String text) {
    Objects.requireNonNull(text, "text");
    // Read by position, not with a pattern and java.time: pos verify runs this for every block,
    // and on one core the JIT's work for a regex and LocalDateTime cost more than the parse.
    int length = text.length();
    int fractionDigits = length - DATE_TIME_LENGTH - ZONE.length() - 1;
    if ((fractionDigits != -1 && (fractionDigits < 1 || fractionDigits > 9))
        || !text.startsWith(ZONE, length - ZONE.length())
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != ' '
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return Optional.empty();
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int nanos = 0;
    if (fractionDigits > 0) {
      int fraction = digits(text, DATE_TIME_LENGTH + 1, fractionDigits);
      // Format drops trailing zeros (and a zero fraction): text with one is not what it writes.
      if (text.charAt(DATE_TIME_LENGTH) != '.'
          || fraction < 0
          || text.charAt(DATE_TIME_LENGTH + fractionDigits) == '0') {
        return Optional.empty();
      }
      nanos = fraction * NANOS_PER_UNIT[fractionDigits];
    }
    // digits gives -1 for a non-digit, so each lower bound also rejects those.
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > daysInMonth(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return Optional.empty();
    }
    long seconds = epochDay(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    return Optional.of(Instant.ofEpochSecond(seconds, nanos));
  }

  /** The value of the {@code count} ASCII digits at {@code from}; -1 if any is not one. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  /** Days in {@code month} (1-12) of proleptic Gregorian {@code year} (0-9999), as java.time. */
  private static int daysInMonth(int year, int month) {
    if (month == 2) {
      boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  /**
   * Days from 1970-01-01 to {@code year-month-day} (proleptic Gregorian, year 0-9999), as {@link
   * java.time.LocalDate#toEpochDay}: counted from 0000-03-01, so that the leap day ends a year.
   */
  private static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year; // -1 for January and February of year 0
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    long dayOfYear = (153L * (month <= 2 ? month + 9 : month - 3) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  /** Formats {@code instant} in UTC, Go style; any instant, {@link Instant#MIN} to {@code MAX}. */
  public static String format(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    long seconds = instant.getEpochSecond();
    // LocalDateTime stops a year short of Instant's range at both ends: there, read the fields 400
    // years nearer the epoch (the same calendar) and put the 400 years back on the year.
    int yearShift = 0;
    if (seconds < FIRST_LOCAL_SECOND) {
      seconds += SECONDS_PER_400_YEARS;
      yearShift = -400;
    } else if (seconds > LAST_LOCAL_SECOND) {
      seconds -= SECONDS_PER_400_YEARS;
      yearShift = 400;
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(40);
    pad(out, t.getYear() + yearShift, 4).append('-');
    pad(out, t.getMonthValue(), 2).append('-');
    pad(out, t.getDayOfMonth(), 2).append(' ');
    pad(out, t.getHour(), 2).append(':');
    pad(out, t.getMinute(), 2).append(':');
    pad(out, t.getSecond(), 2);
    int nanos = instant.getNano();
    if (nanos != 0) {
      int digits = 9;
      while (nanos % 10 == 0) {
        nanos /= 10;
        digits--;
      }
      out.append('.');
      pad(out, nanos, digits);
    }
    return out.append(" +0000 UTC").toString();
  }

  /** As Go's {@code appendInt}: a minus sign if negative, then the digits zero-padded to width. */
  private static StringBuilder pad(StringBuilder out, int value, int width) {
    if (value < 0) {
      out.append('-'); // an Instant's year is within +-1e9, so negating cannot overflow
    }
    String digits = Integer.toString(Math.abs(value));
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }
}
