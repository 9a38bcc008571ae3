package io.github.posj.net.codec;

/**
 * Which of the two forms a connection speaks; chosen by the client's first line. A channel's mode
 * is in its attribute {@link MessageDecoder#MODE}.
 */
public enum WireMode {
  /** The tutorial's dialogue for {@code nc}: prompts, bare numbers, announcements. */
  TEXT,
  /** One JSON object per line with a {@code type} field. */
  JSON
}
