package io.github.posj.core.block;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Formats instants the way the tutorial's blocks carry them: Go's {@code time.Time.String()} in
 * UTC, without the monotonic-clock suffix, e.g. {@code 2026-11-24 05:37:41.440478369 +0000 UTC}.
 *
 * <p>The fraction has trailing zeros removed, and is left out when it is zero, as Go does. The
 * original also appends {@code m=+<seconds since start>}; that is process-local, so posj leaves it
 * out (a block's hash covers the timestamp as written, so both forms verify).
 *
 * <p>Immutable; thread-safe.
 */
public final class GoTimestamp {
  private GoTimestamp() {}

  /** Formats {@code instant} in UTC, Go style. */
  public static String format(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(40);
    pad(out, t.getYear(), 4).append('-');
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

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }
}
