package io.github.posj.net.codec;

import io.netty.util.AttributeKey;

/** Which of the two forms a connection speaks; chosen by the client's first line. */
public enum WireMode {
  /** The tutorial's dialogue for {@code nc}: prompts, bare numbers, announcements. */
  TEXT,
  /** One JSON object per line with a {@code type} field. */
  JSON;

  /**
   * The channel attribute holding a connection's mode; {@link MessageDecoder} sets it, {@link
   * MessageEncoder} reads it (absent means {@link #TEXT}).
   */
  public static final AttributeKey<WireMode> KEY = AttributeKey.valueOf(WireMode.class, "mode");
}
