package io.github.posj.net.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the open HTTP connections: one over {@link HttpSettings#maxConnections()} is answered
 * {@code 503} (a JSON error, written before any request is read) and closed, so that idle
 * connections cannot take every socket of the node.
 *
 * <p>Shared by every connection; thread-safe.
 */
@ChannelHandler.Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final byte[] refusal;

  ConnectionLimitHandler(int max) {
    this.max = max;
    byte[] body =
        ApiJson.error(
            503, "the node has " + max + " HTTP connections open, its most; try again later");
    String head =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\nRetry-After: 5\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    refusal = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, refusal, 0, headBytes.length);
    System.arraycopy(body, 0, refusal, headBytes.length, body.length);
  }

  /** The connections open now. */
  int open() {
    return open.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > max) {
      ctx.channel().config().setAutoRead(false);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(refusal))
          .addListener(HttpChannelInitializer.END_AFTER_WRITE);
      return;
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    open.decrementAndGet();
    ctx.fireChannelInactive();
  }
}
