package io.github.posj.cli.report;

import java.util.Locale;

/** A count with its noun in the right number: {@code 1 round}, {@code 2 rounds}. */
public final class Quantity {
  private Quantity() {}

  /** {@code count} and {@code singular}, with an {@code s} added unless the count is 1. */
  public static String of(long count, String singular) {
    return of(count, singular, singular + "s");
  }

  /** {@code count} and {@code singular} if it is 1, else {@code plural}. */
  public static String of(long count, String singular, String plural) {
    return String.format(Locale.ROOT, "%d %s", count, count == 1 ? singular : plural);
  }
}
