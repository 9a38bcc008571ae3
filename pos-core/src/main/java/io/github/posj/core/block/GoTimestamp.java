package io.github.posj.core.block;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final Pattern CANONICAL =
      Pattern.compile(
          "([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,9}))?"
              + " \\+0000 UTC");

  private GoTimestamp() {}

  /**
   * The instant that {@code text} denotes if it is exactly what {@link #format} writes for it with
   * a four-digit year ({@code 2026-12-01 00:00:07.5 +0000 UTC}); empty otherwise, e.g. for a
   * trailing zero in the fraction, another zone, a monotonic-clock suffix or an impossible date.
   * Network-mode blocks must carry such a timestamp, so that it denotes one instant in one way.
   */
  public static Optional<Instant> parseCanonical(String text) {
    Objects.requireNonNull(text, "text");
    Matcher m = CANONICAL.matcher(text);
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
    return format(instant).equals(text) ? Optional.of(instant) : Optional.empty();
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
