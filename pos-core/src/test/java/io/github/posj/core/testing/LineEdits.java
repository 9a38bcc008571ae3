package io.github.posj.core.testing;

import java.util.SplittableRandom;

/**
 * Random one-character edits of JSON lines, for tests that hold a fast reader to a full parser: a
 * character inserted, deleted or replaced, drawn from digits, hex letters (both cases) and JSON's
 * punctuation.
 */
public final class LineEdits {
  private static final String ALPHABET = "0123456789abcdefABCDEF\"{},: -.\\xu";

  private LineEdits() {}

  /** {@code line} with one character, at a random place, inserted, deleted or replaced. */
  public static String edit(String line, SplittableRandom random) {
    StringBuilder text = new StringBuilder(line);
    int at = random.nextInt(text.length());
    char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    switch (random.nextInt(3)) {
      case 0 -> text.insert(at, c);
      case 1 -> text.deleteCharAt(at);
      default -> text.setCharAt(at, c);
    }
    return text.toString();
  }
}
