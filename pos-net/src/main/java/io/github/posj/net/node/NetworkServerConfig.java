package io.github.posj.net.node;

import io.github.posj.core.genesis.Genesis;
import io.github.posj.net.http.HttpSettings;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link NetworkServer} runs.
 *
 * <p>Immutable; thread-safe.
 *
 * @param genesis the chain's genesis
 * @param bindAddress the address to listen on (loopback by default)
 * @param port the port; 0 for any free one
 * @param maxConnections the most connections at once; more are told why and closed
 * @param maxLineLength the longest line a client may send, in bytes
 * @param maxOutboundBufferBytes how much may wait unsent to one connection before it is closed as
 *     too slow (a client that does not read never holds the node's memory)
 * @param clock the node's clock: slots are read from it
 * @param scheduleTicks whether the server ticks itself at every slot boundary (false in tests that
 *     drive {@link NetworkServer#tick()})
 * @param http the HTTP API's settings ({@code docs/api.md}); empty (the default): no HTTP port
 * @param peers how it talks to other nodes; {@link PeerSettings#none()} (the default): it does not
 */
public record NetworkServerConfig(
    Genesis genesis,
    String bindAddress,
    int port,
    int maxConnections,
    int maxLineLength,
    int maxOutboundBufferBytes,
    InstantSource clock,
    boolean scheduleTicks,
    Optional<HttpSettings> http,
    PeerSettings peers) {
  /** The default port, as the tutorial's server. */
  public static final int DEFAULT_PORT = 9000;

  /** The default connection limit. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1000;

  /** The default longest client line: a proposal is about 600 bytes. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 16 * 1024;

  /** The default outbound limit per connection: one get-blocks answer of 256 blocks and more. */
  public static final int DEFAULT_MAX_OUTBOUND_BUFFER_BYTES = 1024 * 1024;

  /** Checks the components. */
  public NetworkServerConfig {
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(peers, "peers");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("a port is 0 to 65535, got " + port);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "the connection limit is at least 1, got " + maxConnections);
    }
    if (maxLineLength < 1024) {
      throw new IllegalArgumentException(
          "the line limit is at least 1024 bytes (a proposal takes about 600), got "
              + maxLineLength);
    }
    if (maxOutboundBufferBytes < 64 * 1024) {
      throw new IllegalArgumentException(
          "the outbound limit is at least 65536 bytes, got " + maxOutboundBufferBytes);
    }
  }

  /** A configuration without the HTTP API. */
  public NetworkServerConfig(
      Genesis genesis,
      String bindAddress,
      int port,
      int maxConnections,
      int maxLineLength,
      int maxOutboundBufferBytes,
      InstantSource clock,
      boolean scheduleTicks) {
    this(
        genesis,
        bindAddress,
        port,
        maxConnections,
        maxLineLength,
        maxOutboundBufferBytes,
        clock,
        scheduleTicks,
        Optional.empty(),
        PeerSettings.none());
  }

  /** A configuration without peers. */
  public NetworkServerConfig(
      Genesis genesis,
      String bindAddress,
      int port,
      int maxConnections,
      int maxLineLength,
      int maxOutboundBufferBytes,
      InstantSource clock,
      boolean scheduleTicks,
      Optional<HttpSettings> http) {
    this(
        genesis,
        bindAddress,
        port,
        maxConnections,
        maxLineLength,
        maxOutboundBufferBytes,
        clock,
        scheduleTicks,
        http,
        PeerSettings.none());
  }

  /** The defaults on loopback, port 9000, with the system clock ticking itself. */
  public static NetworkServerConfig defaults(Genesis genesis) {
    return new NetworkServerConfig(
        genesis,
        "127.0.0.1",
        DEFAULT_PORT,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_LINE_LENGTH,
        DEFAULT_MAX_OUTBOUND_BUFFER_BYTES,
        InstantSource.system(),
        true);
  }

  /** This configuration on another address and port. */
  public NetworkServerConfig withAddress(String newBindAddress, int newPort) {
    return new NetworkServerConfig(
        genesis,
        newBindAddress,
        newPort,
        maxConnections,
        maxLineLength,
        maxOutboundBufferBytes,
        clock,
        scheduleTicks,
        http,
        peers);
  }

  /** This configuration with another clock, ticking itself or not. */
  public NetworkServerConfig withClock(InstantSource newClock, boolean newScheduleTicks) {
    return new NetworkServerConfig(
        genesis,
        bindAddress,
        port,
        maxConnections,
        maxLineLength,
        maxOutboundBufferBytes,
        newClock,
        newScheduleTicks,
        http,
        peers);
  }

  /** This configuration with the HTTP API on, with {@code settings}. */
  public NetworkServerConfig withHttp(HttpSettings settings) {
    return new NetworkServerConfig(
        genesis,
        bindAddress,
        port,
        maxConnections,
        maxLineLength,
        maxOutboundBufferBytes,
        clock,
        scheduleTicks,
        Optional.of(settings),
        peers);
  }

  /** This configuration with other peer settings. */
  public NetworkServerConfig withPeers(PeerSettings settings) {
    return new NetworkServerConfig(
        genesis,
        bindAddress,
        port,
        maxConnections,
        maxLineLength,
        maxOutboundBufferBytes,
        clock,
        scheduleTicks,
        http,
        settings);
  }
}
