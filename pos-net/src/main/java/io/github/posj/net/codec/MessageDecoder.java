package io.github.posj.net.codec;

import io.github.posj.net.protocol.ClientMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns framed lines (after a {@code LineBasedFrameDecoder} that strips {@code \n} or {@code \r\n})
 * into {@link ClientMessage}s. The first line chooses how this connection's lines are read ({@link
 * WireFormat#selectsJson}); in the JSON mode a first line that is not a hello is {@link
 * ClientMessage.Malformed}.
 *
 * <p>This decides only how lines are <em>read</em>. How the server writes is the session's choice,
 * made on the owner thread when it handles the hello ({@link OutboundMessage}): the decoder sees
 * the hello before the session does, and switching the writing here would let JSON overtake the
 * greeting.
 *
 * <p>Stateful: one instance per channel. Not thread-safe; confine to the channel's event loop.
 */
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
  private WireMode mode;

  /** A decoder for one channel. */
  public MessageDecoder() {
    super(ByteBuf.class);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    String line = frame.toString(StandardCharsets.UTF_8);
    if (mode == null) {
      mode = WireFormat.selectsJson(line) ? WireMode.JSON : WireMode.TEXT;
      ClientMessage first = WireFormat.decode(line, mode);
      if (mode == WireMode.JSON && !(first instanceof ClientMessage.Hello)) {
        first =
            new ClientMessage.Malformed(
                "the first JSON line must be {\"type\":\"hello\",\"version\":1}");
      }
      out.add(first);
      return;
    }
    out.add(WireFormat.decode(line, mode));
  }
}
