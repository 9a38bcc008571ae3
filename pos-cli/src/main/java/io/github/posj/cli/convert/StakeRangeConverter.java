package io.github.posj.cli.convert;

import picocli.CommandLine;

/** {@code MIN..MAX} (e.g. {@code 1..100}) to a {@link StakeRange}; a single number is MIN = MAX. */
public final class StakeRangeConverter implements CommandLine.ITypeConverter<StakeRange> {
  @Override
  public StakeRange convert(String value) {
    String text = value.strip();
    int dots = text.indexOf("..");
    try {
      if (dots < 0) {
        long stake = Long.parseLong(text);
        return new StakeRange(stake, stake);
      }
      return new StakeRange(
          Long.parseLong(text.substring(0, dots).strip()),
          Long.parseLong(text.substring(dots + 2).strip()));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a stake range; use MIN..MAX with 1 <= MIN <= MAX, e.g. 1..100");
    }
  }
}
