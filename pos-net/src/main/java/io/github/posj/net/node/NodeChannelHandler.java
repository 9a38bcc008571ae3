package io.github.posj.net.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.concurrent.Executor;

/**
 * One connection's inbound side: decodes each line on the I/O thread and posts what it means to the
 * owner thread; answers {@code get-blocks} from the published blocks without the owner.
 *
 * <p>Not thread-safe; one per channel, on its event loop.
 */
final class NodeChannelHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private final NetworkHost host;
  private final PublishedBlocks blocks;
  private final Executor owner;
  private final InstantSource clock;

  NodeChannelHandler(
      NetworkHost host, PublishedBlocks blocks, Executor owner, InstantSource clock) {
    this.host = host;
    this.blocks = blocks;
    this.owner = owner;
    this.clock = clock;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    owner.execute(() -> host.connected(ctx.channel()));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    owner.execute(() -> host.disconnected(ctx.channel()));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    String line = frame.toString(StandardCharsets.UTF_8).strip();
    if (line.isEmpty()) {
      return;
    }
    NodeMessage message;
    try {
      message = NodeWire.decodeFromClient(line);
    } catch (IllegalArgumentException e) {
      reply(ctx, new NodeMessage.Error(e.getMessage()));
      return;
    }
    if (message instanceof NodeMessage.GetBlocks get) {
      reply(ctx, new NodeMessage.Blocks(get.from(), blocks.range(get.from(), get.count())));
      return;
    }
    var receivedAt = clock.instant();
    owner.execute(() -> host.received(ctx.channel(), message, receivedAt));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String reason =
        cause instanceof TooLongFrameException
            ? "a line longer than the node's limit; lines end in \\n"
            : "connection error: " + cause.getMessage();
    ByteBuf line =
        Unpooled.wrappedBuffer(
            (NodeWire.encode(new NodeMessage.Closing(reason)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    ctx.writeAndFlush(line).addListener(ChannelFutureListener.CLOSE);
  }

  private void reply(ChannelHandlerContext ctx, NodeMessage message) {
    if (!ctx.channel().isWritable()) {
      ctx.close();
      return;
    }
    ctx.writeAndFlush(
        Unpooled.wrappedBuffer((NodeWire.encode(message) + "\n").getBytes(StandardCharsets.UTF_8)),
        ctx.voidPromise());
  }
}
