package io.github.posj.net.session;

import io.github.posj.net.codec.WireMode;
import io.github.posj.net.protocol.ServerMessage;

/**
 * A session's way out: the connection it writes to.
 *
 * <p>Contract: every method returns at once, never blocks and may be called from any thread;
 * messages are written in the order they were sent, each in the mode it was sent with; after {@link
 * #close} further messages are dropped. Implementations are thread-safe.
 */
public interface Connection {
  /** Queues {@code message} for writing in {@code mode}. */
  void send(ServerMessage message, WireMode mode);

  /** Writes {@code last} in {@code mode}, then closes the connection. */
  void close(ServerMessage last, WireMode mode);

  /** Closes the connection at once, dropping whatever still waits to be written. */
  void abort();

  /**
   * Whether more bytes wait to be written than the connection's outbound bound: the client reads
   * slower than the server writes.
   */
  boolean isBehind();
}
