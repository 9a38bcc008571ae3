package io.github.posj.net.session;

import io.github.posj.net.protocol.ServerMessage;

/**
 * A session's way out: the connection it writes to.
 *
 * <p>Contract: both methods return at once, never block and may be called from any thread; messages
 * are written in the order they were sent; after {@link #close} further messages are dropped.
 * Implementations are thread-safe.
 */
public interface Connection {
  /** Queues {@code message} for writing. */
  void send(ServerMessage message);

  /** Writes {@code last}, then closes the connection. */
  void close(ServerMessage last);

  /** Closes the connection at once, dropping whatever still waits to be written. */
  void abort();

  /**
   * Whether more bytes wait to be written than the connection's outbound bound: the client reads
   * slower than the server writes.
   */
  boolean isBehind();
}
