package io.github.posj.net.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP API's settings ({@code docs/api.md}): where it listens and the bounds of what a client
 * can hold. The API is off unless a node is given these.
 *
 * <p>Immutable; thread-safe.
 *
 * @param bindAddress the address to listen on; {@link #DEFAULT_BIND_ADDRESS} (this machine only:
 *     the API has no authentication, as Teku's and CometBFT's defaults)
 * @param port the TCP port; 0 picks a free one
 * @param maxConnections the most HTTP connections at once (event streams included); a further one
 *     is answered {@code 503} and closed, so idle connections cannot exhaust the node's sockets
 * @param idleTimeout how long a connection may stay without a request before it is closed (event
 *     streams are exempt: they have their keep-alives)
 * @param keepAliveInterval how often an event stream with nothing to say is sent a comment line, so
 *     that proxies and clients know it is alive
 * @param subscriberQueueEvents the events that may wait for one event-stream subscriber (Teku's
 *     default, 250); one more drops that subscriber, so a slow reader never slows the node or
 *     anyone else. It is also how many recent events are kept for a resume ({@code Last-Event-ID})
 */
public record HttpSettings(
    String bindAddress,
    int port,
    int maxConnections,
    Duration idleTimeout,
    Duration keepAliveInterval,
    int subscriberQueueEvents) {

  /** The default bind address: the loopback interface only. */
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

  /** The default connection bound. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1000;

  /** Checks the settings. */
  public HttpSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the HTTP port is in [0, 65535], got " + port);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
    }
    if (subscriberQueueEvents < 1) {
      throw new IllegalArgumentException(
          "subscriberQueueEvents must be >= 1, got " + subscriberQueueEvents);
    }
    if (idleTimeout.isNegative()
        || idleTimeout.isZero()
        || keepAliveInterval.isNegative()
        || keepAliveInterval.isZero()) {
      throw new IllegalArgumentException(
          "idleTimeout and keepAliveInterval must be positive, got "
              + idleTimeout
              + " and "
              + keepAliveInterval);
    }
  }

  /**
   * The defaults on {@code port}: loopback only, {@value #DEFAULT_MAX_CONNECTIONS} connections, 60
   * s idle timeout, a keep-alive every 15 s, 250 events per subscriber.
   */
  public static HttpSettings onPort(int port) {
    return new HttpSettings(
        DEFAULT_BIND_ADDRESS,
        port,
        DEFAULT_MAX_CONNECTIONS,
        Duration.ofSeconds(60),
        Duration.ofSeconds(15),
        250);
  }

  /** These settings listening on {@code address} instead. */
  public HttpSettings withBindAddress(String address) {
    return new HttpSettings(
        address, port, maxConnections, idleTimeout, keepAliveInterval, subscriberQueueEvents);
  }
}
