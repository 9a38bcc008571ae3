package io.github.posj.net.codec;

import io.github.posj.net.protocol.ClientMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns framed lines (after a {@code LineBasedFrameDecoder} that strips {@code \n} or {@code \r\n})
 * into {@link ClientMessage}s. The first line chooses the connection's {@link WireMode} ({@link
 * WireFormat#selectsJson}) and records it in the channel attribute {@link #MODE}; in the JSON mode
 * a first line that is not a hello is {@link ClientMessage.Malformed}.
 *
 * <p>Stateful: one instance per channel. Not thread-safe; confine to the channel's event loop.
 */
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
  /**
   * The channel attribute holding a connection's mode: set by this decoder on the first line, read
   * by {@link MessageEncoder} (absent means {@link WireMode#TEXT}).
   */
  public static final AttributeKey<WireMode> MODE =
      AttributeKey.valueOf(MessageDecoder.class, "mode");

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
      ctx.channel().attr(MessageDecoder.MODE).set(mode);
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
