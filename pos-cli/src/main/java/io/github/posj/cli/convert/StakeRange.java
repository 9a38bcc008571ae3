package io.github.posj.cli.convert;

/**
 * An inclusive range of stakes, {@code MIN..MAX}.
 *
 * @param min the smallest stake, at least 1
 * @param max the largest stake, at least {@code min}
 */
public record StakeRange(long min, long max) {
  /** Checks the bounds. */
  public StakeRange {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException(
          "a stake range is MIN..MAX with 1 <= MIN <= MAX, got " + min + ".." + max);
    }
  }

  @Override
  public String toString() {
    return min + ".." + max;
  }
}
