package io.github.posj.cli.convert;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * A duration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a plain number of seconds
 * ({@code 30}, {@code 0.5}). Must be positive.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    long unitMillis;
    String number;
    if (text.endsWith("ms")) {
      unitMillis = 1;
      number = text.substring(0, text.length() - 2);
    } else if (text.endsWith("s")) {
      unitMillis = 1_000;
      number = text.substring(0, text.length() - 1);
    } else if (text.endsWith("m")) {
      unitMillis = 60_000;
      number = text.substring(0, text.length() - 1);
    } else if (text.endsWith("h")) {
      unitMillis = 3_600_000;
      number = text.substring(0, text.length() - 1);
    } else {
      unitMillis = 1_000;
      number = text;
    }
    try {
      BigDecimal millis = new BigDecimal(number).multiply(BigDecimal.valueOf(unitMillis));
      if (millis.signum() <= 0) {
        throw new CommandLine.TypeConversionException(
            "a duration must be positive, got '" + value + "'");
      }
      if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is too long a duration; use e.g. 500ms, 5s, 2m, 1h or 30 (seconds)");
      }
      return Duration.ofMillis(Math.max(1, millis.longValue()));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration; use e.g. 500ms, 5s, 2m, 1h or 30 (seconds)");
    }
  }
}
