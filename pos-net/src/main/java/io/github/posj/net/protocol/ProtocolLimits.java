package io.github.posj.net.protocol;

/**
 * The protocol's version and the defaults of its limits (a server's actual limits are in its
 * configuration).
 *
 * <p>Immutable; thread-safe.
 */
public final class ProtocolLimits {
  /** The JSON-lines protocol version this code speaks. */
  public static final int VERSION = 1;

  /**
   * The default longest line a client may send, in bytes without the line ending: a stake or BPM
   * needs 20, a JSON message well under 200.
   */
  public static final int DEFAULT_MAX_LINE_LENGTH = 1024;

  private ProtocolLimits() {}
}
