package io.github.posj.net.protocol;

import java.util.Objects;

/**
 * Parses an integer the way the tutorial does (Go's {@code strconv.Atoi} on a 64-bit platform): an
 * optional {@code +} or {@code -}, then one or more ASCII digits, within the range of a {@code
 * long}. Nothing else: no surrounding whitespace, no {@code _}, no hex, no exponent.
 *
 * <p>Immutable; thread-safe.
 */
public final class IntegerText {
  private IntegerText() {}

  /** The result of parsing. */
  public sealed interface Parsed {
    /**
     * A well-formed integer.
     *
     * @param value its value
     */
    record Value(long value) implements Parsed {}

    /** Not an integer: empty, a stray character, a space, a fraction. */
    record NotAnInteger() implements Parsed {}

    /**
     * Well-formed, but outside {@code [Long.MIN_VALUE, Long.MAX_VALUE]}.
     *
     * @param negative whether it lies below the range (else above it)
     */
    record OutOfRange(boolean negative) implements Parsed {
      /** The nearest {@code long}: {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE}. */
      public long saturated() {
        return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
    }
  }

  /** Parses {@code text}. */
  public static Parsed parse(String text) {
    Objects.requireNonNull(text, "text");
    int length = text.length();
    int i = 0;
    boolean negative = false;
    if (length > 0 && (text.charAt(0) == '+' || text.charAt(0) == '-')) {
      negative = text.charAt(0) == '-';
      i = 1;
    }
    if (i == length) {
      return new Parsed.NotAnInteger();
    }
    // Accumulate negatively: Long.MIN_VALUE has no positive counterpart.
    long value = 0;
    boolean overflow = false;
    for (; i < length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return new Parsed.NotAnInteger();
      }
      int digit = c - '0';
      if (value < (Long.MIN_VALUE + digit) / 10) {
        overflow = true;
      } else {
        value = value * 10 - digit;
      }
    }
    if (overflow || (!negative && value == Long.MIN_VALUE)) {
      return new Parsed.OutOfRange(negative);
    }
    return new Parsed.Value(negative ? value : -value);
  }
}
