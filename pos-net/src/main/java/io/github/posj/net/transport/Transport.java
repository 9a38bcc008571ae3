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

  /** Netty's system property for the number of I/O event loops; when set, it decides. */
  public static final String IO_THREADS_PROPERTY = "io.netty.eventLoopThreads";

  /**
   * How many I/O event loops a server of this process runs: one per core, unless the system
   * property {@value #IO_THREADS_PROPERTY} gives a number (e.g. {@code
   * POS_JAVA_OPTS=-Dio.netty.eventLoopThreads=4 ./pos server}). Netty's own default is two per
   * core; every handler here is non-blocking, and on this project's two-core machine four loops
   * made a round's fan-out wait for cores (docs/benchmarks.md, "Fan-out").
   *
   * @throws IllegalArgumentException if the property is not a whole number from 1 to 1024
   */
  public static int ioThreads() {
    return ioThreads(
        Optional.ofNullable(System.getProperty(IO_THREADS_PROPERTY)),
        Runtime.getRuntime().availableProcessors());
  }

  /** The event loops for {@code property} on a machine of {@code cores} cores. */
  static int ioThreads(Optional<String> property, int cores) {
    if (property.isEmpty()) {
      return Math.max(1, cores);
    }
    String text = property.get().strip();
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      value = 0;
    }
    if (value < 1 || value > 1024) {
      throw new IllegalArgumentException(
          IO_THREADS_PROPERTY
              + " is a whole number from 1 to 1024, got \""
              + property.get()
              + "\"");
    }
    return value;
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
