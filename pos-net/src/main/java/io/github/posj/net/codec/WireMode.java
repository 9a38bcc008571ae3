package io.github.posj.net.codec;

/**
 * Which of the two forms a connection speaks; chosen by the client's first line. The decoder reads
 * lines in it; the session writes in it from the moment it handles the hello ({@link
 * OutboundMessage}).
 */
public enum WireMode {
  /** The tutorial's dialogue for {@code nc}: prompts, bare numbers, announcements. */
  TEXT,
  /** One JSON object per line with a {@code type} field. */
  JSON,
  /**
   * The JSON mode's first line to a connection: written after a {@code \n}, because what came
   * before it (the text greeting, which has no line end) must not be glued to it. Only for writing.
   */
  JSON_FIRST;

  /** Whether this is one of the JSON forms. */
  public boolean isJson() {
    return this != TEXT;
  }
}
