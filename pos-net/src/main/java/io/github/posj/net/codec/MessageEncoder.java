package io.github.posj.net.codec;

import io.github.posj.net.protocol.ServerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link ServerMessage}s as UTF-8 in the channel's {@link WireMode} ({@link
 * MessageDecoder#MODE}, text until the decoder saw a JSON hello); a message the mode does not show
 * writes no bytes.
 *
 * <p>Stateless: one instance may serve every channel. Immutable; thread-safe.
 */
@ChannelHandler.Sharable
public final class MessageEncoder extends MessageToByteEncoder<ServerMessage> {
  /** An encoder; shareable between channels. */
  public MessageEncoder() {
    super(ServerMessage.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ServerMessage message, ByteBuf out) {
    WireMode mode = ctx.channel().attr(MessageDecoder.MODE).get();
    ByteBufUtil.writeUtf8(out, WireFormat.encode(message, mode == null ? WireMode.TEXT : mode));
  }
}
