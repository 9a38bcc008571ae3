package io.github.posj.net.codec;

import io.github.posj.net.protocol.ServerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The bytes of a message sent to many connections (a round's result, a new block), encoded once per
 * mode and shared: {@link #bytes} returns, for a message and a mode, exactly what {@link
 * WireFormat#encode} would write, as a read-only view of memory shared with every other connection
 * sent the same message. The cache holds the last message only, recognised by identity: a broadcast
 * sends one message object to every connection, one after another.
 *
 * <p>Not thread-safe; confine to one thread (the node's owner thread). The bytes it hands out may
 * be read on any thread once handed over (a channel write): they are never changed.
 */
public final class SharedMessageBytes {
  private final ByteBuf[] byMode = new ByteBuf[WireMode.values().length];
  private ServerMessage last;

  /** An empty cache. */
  public SharedMessageBytes() {}

  /**
   * The bytes of {@code message} in {@code mode}: a new reference the caller owns (release it, or
   * hand it to a channel write, which does).
   */
  public ByteBuf bytes(ServerMessage message, WireMode mode) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(mode, "mode");
    if (message != last) {
      release();
      last = message;
    }
    ByteBuf encoded = byMode[mode.ordinal()];
    if (encoded == null) {
      byte[] text = WireFormat.encode(message, mode).getBytes(StandardCharsets.UTF_8);
      // Direct: Netty would copy a heap buffer into a direct one for every channel.
      encoded = Unpooled.directBuffer(text.length, text.length).writeBytes(text).asReadOnly();
      byMode[mode.ordinal()] = encoded;
    }
    return encoded.retainedDuplicate();
  }

  /** Drops the cached bytes; views already handed out stay valid until released. */
  public void release() {
    for (int i = 0; i < byMode.length; i++) {
      if (byMode[i] != null) {
        byMode[i].release();
        byMode[i] = null;
      }
    }
    last = null;
  }
}
