package io.github.posj.net.http;

import io.github.posj.net.metrics.NetworkMetrics;
import io.github.posj.net.metrics.NodeMetrics;
import io.github.posj.net.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's HTTP API on a port of its own ({@code docs/api.md}): REST, the event stream, {@code
 * /metrics} and the live page, served on event loops the caller owns (the node's own), from the
 * snapshots of a {@link NodeView} (the tutorial server) or a {@link NetworkView} (a network node).
 * It opens no thread of its own.
 *
 * <p>Thread-safe.
 */
public final class ApiServer implements AutoCloseable {
  /** How often a node's publisher looks for changes to publish, in milliseconds. */
  private static final long TICK_MILLIS = 250;

  private final Channel channel;
  private final int port;

  private ApiServer(Channel channel) {
    this.channel = channel;
    this.port = ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /**
   * Binds {@code settings.bindAddress():settings.port()} for the tutorial server ({@code pos
   * server}); connections are accepted only once {@link #startAccepting} is called (when the node
   * has published its first snapshot).
   *
   * @param boss the group that accepts connections
   * @param workers the group whose event loops serve them
   * @throws IllegalStateException if the address cannot be bound, with the address and the cause
   */
  public static ApiServer bind(
      HttpSettings settings,
      EventLoopGroup boss,
      EventLoopGroup workers,
      NodeView view,
      EventStream events,
      NodeMetrics metrics) {
    Objects.requireNonNull(view, "view");
    return bind(
        settings,
        boss,
        workers,
        new ApiHandler(
            new TutorialEndpoints(view, version(), events::subscriberCount),
            events,
            metrics.registry()));
  }

  /**
   * Binds {@code settings.bindAddress():settings.port()} for a network node ({@code pos node});
   * connections are accepted only once {@link #startAccepting} is called.
   *
   * @param boss the group that accepts connections
   * @param workers the group whose event loops serve them
   * @throws IllegalStateException if the address cannot be bound, with the address and the cause
   */
  public static ApiServer bind(
      HttpSettings settings,
      EventLoopGroup boss,
      EventLoopGroup workers,
      NetworkView view,
      EventStream events,
      NetworkMetrics metrics) {
    Objects.requireNonNull(view, "view");
    return bind(
        settings,
        boss,
        workers,
        new ApiHandler(
            new NetworkEndpoints(view, version(), events::subscriberCount),
            events,
            metrics.registry()));
  }

  private static ApiServer bind(
      HttpSettings settings, EventLoopGroup boss, EventLoopGroup workers, ApiHandler api) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            // The servers share event loops: the same transport (Transport.current()).
            .channel(Transport.current().serverChannel())
            .option(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new HttpChannelInitializer(
                    settings, new ConnectionLimitHandler(settings.maxConnections()), api));
    try {
      return new ApiServer(
          bootstrap.bind(settings.bindAddress(), settings.port()).syncUninterruptibly().channel());
    } catch (Exception e) {
      // bind() reports a BindException, a checked exception thrown without being declared.
      throw new IllegalStateException(
          "cannot listen for HTTP on "
              + settings.bindAddress()
              + ":"
              + settings.port()
              + ": "
              + Objects.requireNonNullElse(e.getMessage(), "the address cannot be used")
              + " (is another server using the port? choose another --http-port, or 0 for any"
              + " free port)",
          e);
    }
  }

  /**
   * Starts accepting connections, once the node has published its first snapshot, and runs {@code
   * tick} (its publisher's look for changes to publish) every 250 ms on the node's owner thread.
   */
  public void startAccepting(ScheduledExecutorService owner, Runnable tick) {
    channel.config().setAutoRead(true);
    owner.scheduleWithFixedDelay(tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The port it listens on (the real one when the settings said 0). */
  public int port() {
    return port;
  }

  /** The version {@code /posj/v1/node/version} reports: {@code posj/<version> (java <version>)}. */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = ApiServer.class.getResourceAsStream("posj-net.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "posj/"
        + properties.getProperty("version", "unknown")
        + " (java "
        + System.getProperty("java.version")
        + ")";
  }

  /** Stops listening; open connections close with their event loops. */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
