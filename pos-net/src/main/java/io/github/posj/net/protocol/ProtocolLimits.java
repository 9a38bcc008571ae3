package io.github.posj.net.protocol;

/**
 * The protocol's version and the defaults of its limits (a server's actual limits are in its
 * configuration).
 *
 * <p>Immutable; thread-safe.
 */
public final class ProtocolLimits {
  /**
   * The newest JSON-lines protocol version this code speaks: 2, which sends each forged block
   * instead of the whole chain and answers {@code get-blocks}; a server also speaks every version
   * from {@link #OLDEST_VERSION}.
   */
  public static final int VERSION = 2;

  /** The oldest version a server still speaks: 1, which sends the whole chain. */
  public static final int OLDEST_VERSION = 1;

  /** The most blocks one {@code get-blocks} request may ask for. */
  public static final int MAX_BLOCKS_PER_REQUEST = 1000;

  /**
   * The default longest line a client may send, in bytes without the line ending: a stake or BPM
   * needs 20, a JSON message well under 200.
   */
  public static final int DEFAULT_MAX_LINE_LENGTH = 1024;

  private ProtocolLimits() {}
}
