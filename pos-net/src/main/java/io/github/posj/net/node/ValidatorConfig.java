package io.github.posj.net.node;

import io.github.posj.core.hash.Hash;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link NetworkValidator} reaches its node and times its blocks.
 *
 * <p>Immutable; thread-safe.
 *
 * @param host the node's host name or address
 * @param port the node's port, 1 to 65535
 * @param genesisHash the chain the validator signs for; empty to take the node's word
 * @param connectTimeout the longest wait for the TCP connection
 * @param handshakeTimeout the longest wait from the connection to the end of the login
 * @param proposeDelay how long after its slot's start the validator proposes; shorter than a slot
 * @param headWait how long the validator waits, at the start of its slot, for the node to announce
 *     that slot (which it does after any block of the slot before), before it builds on the head it
 *     has
 */
public record ValidatorConfig(
    String host,
    int port,
    Optional<Hash> genesisHash,
    Duration connectTimeout,
    Duration handshakeTimeout,
    Duration proposeDelay,
    Duration headWait) {
  /** The default of {@link #connectTimeout} and {@link #handshakeTimeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The default of {@link #proposeDelay}: at the slot's start. */
  public static final Duration DEFAULT_PROPOSE_DELAY = Duration.ZERO;

  /** The default of {@link #headWait}. */
  public static final Duration DEFAULT_HEAD_WAIT = Duration.ofSeconds(1);

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if the port is outside 1 to 65535, a timeout is not positive,
   *     or a delay is negative
   */
  public ValidatorConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(genesisHash, "genesisHash");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("a port is 1 to 65535, got " + port);
    }
    positive(connectTimeout, "connectTimeout");
    positive(handshakeTimeout, "handshakeTimeout");
    notNegative(proposeDelay, "proposeDelay");
    notNegative(headWait, "headWait");
  }

  /** The node at {@code host:port}, any genesis, and the defaults. */
  public static ValidatorConfig of(String host, int port) {
    return new ValidatorConfig(
        host,
        port,
        Optional.empty(),
        DEFAULT_TIMEOUT,
        DEFAULT_TIMEOUT,
        DEFAULT_PROPOSE_DELAY,
        DEFAULT_HEAD_WAIT);
  }

  /** This config, signing only for the chain whose genesis hash is {@code expected}. */
  public ValidatorConfig withGenesisHash(Hash expected) {
    return new ValidatorConfig(
        host,
        port,
        Optional.of(expected),
        connectTimeout,
        handshakeTimeout,
        proposeDelay,
        headWait);
  }

  /** This config with another {@link #handshakeTimeout}. */
  public ValidatorConfig withHandshakeTimeout(Duration timeout) {
    return new ValidatorConfig(
        host, port, genesisHash, connectTimeout, timeout, proposeDelay, headWait);
  }

  /** This config with another {@link #proposeDelay}. */
  public ValidatorConfig withProposeDelay(Duration delay) {
    return new ValidatorConfig(
        host, port, genesisHash, connectTimeout, handshakeTimeout, delay, headWait);
  }

  /** This config with another {@link #headWait}. */
  public ValidatorConfig withHeadWait(Duration wait) {
    return new ValidatorConfig(
        host, port, genesisHash, connectTimeout, handshakeTimeout, proposeDelay, wait);
  }

  private static void positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  private static void notNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
  }
}
