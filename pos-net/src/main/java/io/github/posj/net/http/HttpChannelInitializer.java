package io.github.posj.net.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Wires an HTTP connection's pipeline, one job per handler: {@link ConnectionLimitHandler} (the
 * connection bound) → {@link HttpServerCodec} (HTTP/1.1, bounded request line and headers) → {@link
 * HttpObjectAggregator} (whole requests, bounded body) → {@link IdleStateHandler} (closes a
 * connection without requests; removed for an event stream) → {@link ApiHandler}.
 *
 * <p>Immutable; thread-safe.
 */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {
  /** The longest request line read; a longer one is answered 414. */
  static final int MAX_LINE_BYTES = 8192;

  /** The most header bytes read; more is answered 431. */
  static final int MAX_HEADER_BYTES = 8192;

  /** The largest request body read (the API takes none); more is answered 413. */
  static final int MAX_BODY_BYTES = 8192;

  /** The idle handler's name, so that an event stream can remove it. */
  static final String IDLE = "idle";

  /** How long a refused connection is given to read its answer before it is closed. */
  private static final long CLOSE_AFTER_MILLIS = 2000;

  private final HttpSettings settings;
  private final ConnectionLimitHandler limit;
  private final ApiHandler api;

  HttpChannelInitializer(HttpSettings settings, ConnectionLimitHandler limit, ApiHandler api) {
    this.settings = settings;
    this.limit = limit;
    this.api = api;
  }

  @Override
  protected void initChannel(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("limit", limit);
    pipeline.addLast(
        "codec", new HttpServerCodec(MAX_LINE_BYTES, MAX_HEADER_BYTES, MAX_BODY_BYTES));
    pipeline.addLast("aggregator", new HttpObjectAggregator(MAX_BODY_BYTES));
    pipeline.addLast(
        IDLE, new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    pipeline.addLast("api", api);
  }

  /**
   * Ends a connection once its last answer is written: its sending side first, so that a client
   * still sending (a 1 MB request line) reads the answer rather than a reset; then, a little later,
   * the connection.
   */
  static final ChannelFutureListener END_AFTER_WRITE =
      written -> {
        Channel channel = written.channel();
        if (channel instanceof DuplexChannel duplex && channel.isActive()) {
          duplex.shutdownOutput();
          channel
              .eventLoop()
              .schedule(() -> channel.close(), CLOSE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
          channel.close();
        }
      };
}
