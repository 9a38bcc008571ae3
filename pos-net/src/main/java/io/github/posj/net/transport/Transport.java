package io.github.posj.net.transport;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Netty's transport for every server of this process (the validator servers and the HTTP API, which
 * share event loops): native epoll on Linux where its library loads, otherwise the JDK's NIO. Epoll
 * writes straight from the event loop to the socket (fewer copies and locks than NIO): with 10,000
 * validators the server's CPU fell by a sixth and the spread of a round's result by about an eighth
 * (docs/benchmarks.md, "Fan-out"). The system property {@code posj.transport=nio} forces NIO (e.g.
 * {@code POS_JAVA_OPTS=-Dposj.transport=nio ./pos server}); {@code epoll} requires epoll and fails
 * if it cannot load.
 *
 * <p>Immutable; thread-safe.
 */
public enum Transport {
  /** Linux's epoll through Netty's native library. */
  EPOLL(
      "epoll",
      EpollIoHandler::newFactory,
      EpollServerSocketChannel.class,
      EpollSocketChannel.class),
  /** The JDK's NIO selector. */
  NIO("nio", NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class);

  /** The system property that chooses a transport: {@code epoll}, {@code nio} or absent. */
  public static final String PROPERTY = "posj.transport";

  private final String name;
  private final Supplier<IoHandlerFactory> ioHandlers;
  private final Class<? extends ServerChannel> serverChannel;
  private final Class<? extends Channel> clientChannel;

  Transport(
      String name,
      Supplier<IoHandlerFactory> ioHandlers,
      Class<? extends ServerChannel> serverChannel,
      Class<? extends Channel> clientChannel) {
    this.name = name;
    this.ioHandlers = ioHandlers;
    this.serverChannel = serverChannel;
    this.clientChannel = clientChannel;
  }

  /** The channel class of a connection this process opens (a node dialling a peer). */
  public Class<? extends Channel> clientChannel() {
    return clientChannel;
  }

  /**
   * This process's transport, from {@value #PROPERTY} and the platform (the same answer on every
   * call while the property is unchanged: Netty loads epoll once).
   *
   * @throws IllegalStateException if the property says {@code epoll} and epoll cannot load
   * @throws IllegalArgumentException if the property says neither {@code epoll} nor {@code nio}
   */
  public static Transport current() {
    return choose(Optional.ofNullable(System.getProperty(PROPERTY)));
  }

  /**
   * The transport {@code property} asks for: epoll where it is available unless it says {@code
   * nio}.
   *
   * @throws IllegalStateException if it says {@code epoll} and epoll cannot load, with the cause
   * @throws IllegalArgumentException if it says anything else
   */
  static Transport choose(Optional<String> property) {
    String asked = property.map(p -> p.strip().toLowerCase(Locale.ROOT)).orElse("");
    switch (asked) {
      case "" -> {
        return Epoll.isAvailable() ? EPOLL : NIO;
      }
      case "nio" -> {
        return NIO;
      }
      case "epoll" -> {
        if (!Epoll.isAvailable()) {
          throw new IllegalStateException(
              PROPERTY + "=epoll, but epoll is not available here: " + Epoll.unavailabilityCause(),
              Epoll.unavailabilityCause());
        }
        return EPOLL;
      }
      default ->
          throw new IllegalArgumentException(
              PROPERTY + " is epoll or nio, got \"" + property.orElse("") + "\"");
    }
  }

  /** The name, as {@value #PROPERTY} takes it. */
  public String label() {
    return name;
  }

  /** A factory of this transport's I/O handlers, for an event loop group. */
  public IoHandlerFactory ioHandlerFactory() {
    return ioHandlers.get();
  }

  /** This transport's listening channel class. */
  public Class<? extends ServerChannel> serverChannel() {
    return serverChannel;
  }
}
