package io.github.posj.net.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes each {@link OutboundMessage} as UTF-8 in the mode it carries ({@link WireFormat#encode});
 * a message its mode does not show writes no bytes.
 *
 * <p>Stateless: one instance may serve every channel. Immutable; thread-safe.
 */
@ChannelHandler.Sharable
public final class MessageEncoder extends MessageToByteEncoder<OutboundMessage> {
  /** An encoder; shareable between channels. */
  public MessageEncoder() {
    super(OutboundMessage.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, OutboundMessage outbound, ByteBuf out) {
    ByteBufUtil.writeUtf8(out, WireFormat.encode(outbound.message(), outbound.mode()));
  }
}
