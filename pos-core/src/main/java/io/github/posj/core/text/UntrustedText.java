package io.github.posj.core.text;

import java.util.Objects;

/**
 * Text from an untrusted source (a chain file, a peer, a key file) made safe to show a person:
 * every character that a terminal would act on instead of print is replaced by a visible escape, so
 * that a chain file cannot recolour, retitle or ring the operator's terminal, nor reorder what a
 * message says.
 *
 * <p>Immutable; thread-safe.
 */
public final class UntrustedText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private UntrustedText() {}

  /**
   * {@code text} with each control character (U+0000–U+001F, U+007F–U+009F), invisible formatting
   * character (Unicode category Cf: the bidirectional controls such as U+202E, zero-width
   * characters, U+FEFF), line or paragraph separator (U+2028, U+2029) and unpaired surrogate
   * written as {@code \}{@code uXXXX} (lowercase hex), e.g. ESC as {@code \}{@code u001b} and
   * U+202E as {@code \}{@code u202e}. Every other character is kept. Pure; text that needs no
   * escape is returned as it is.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public static String escape(String text) {
    Objects.requireNonNull(text, "text");
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean escaped = needsEscape(text, i, c);
      if (escaped && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out == null) {
        continue;
      }
      if (escaped) {
        appendUnicodeEscape(c, out);
      } else {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /** Appends {@code c} as {@code \}{@code uXXXX} (four lowercase hex digits) to {@code out}. */
  public static void appendUnicodeEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[c >> 12])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }

  private static boolean needsEscape(String text, int i, char c) {
    if (Character.isISOControl(c)) {
      return true;
    }
    int type = Character.getType(c);
    if (type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR) {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }
}
