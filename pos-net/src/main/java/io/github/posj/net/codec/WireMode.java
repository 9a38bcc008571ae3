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
  JSON
}
