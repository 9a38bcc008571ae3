package io.github.posj.cli.convert;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * An RFC 3339 time with its offset to an {@link Instant}: {@code 2026-12-01T00:00:00Z}, {@code
 * 2026-12-01T01:00:00+01:00}.
 */
public final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return OffsetDateTime.parse(value.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not an RFC 3339 time such as 2026-12-01T00:00:00Z");
    }
  }
}
