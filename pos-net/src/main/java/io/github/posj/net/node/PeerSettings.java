package io.github.posj.net.node;

import io.github.posj.core.node.ChainSync;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a node talks to other nodes ({@code docs/network.md} section 13).
 *
 * <p>Immutable; thread-safe.
 *
 * @param port the peer port to listen on (0: any free one); empty: none (the node still dials its
 *     {@code peers})
 * @param peers the peers to dial, {@code host:port} of their peer ports; redialled with backoff
 * @param maxPeers the most peer connections at once, counted apart for incoming and dialled ones
 * @param maxLineLength the longest line a peer may send, in bytes
 * @param getBlocksPerSecond how many {@code get-blocks} a peer may send a second (averaged over
 *     {@value #BURST_SECONDS} s); a peer that sends more is dropped
 * @param gossipPerSecond how many {@code new-block} and {@code evidence} messages a peer may send a
 *     second (averaged over {@value #BURST_SECONDS} s): each costs a signature check; a peer that
 *     sends more is dropped
 * @param learnAnyAddress whether addresses learned from peers may be other than loopback ones
 * @param sync the sync limits
 * @param maxBackoff the longest wait between two dials of one peer
 * @param helloTimeout how long a new connection may take to say its hello before it is closed
 */
public record PeerSettings(
    OptionalInt port,
    List<String> peers,
    int maxPeers,
    int maxLineLength,
    int getBlocksPerSecond,
    int gossipPerSecond,
    boolean learnAnyAddress,
    ChainSync.Limits sync,
    Duration maxBackoff,
    Duration helloTimeout) {
  /** The default peer limit. */
  public static final int DEFAULT_MAX_PEERS = 16;

  /** The default longest peer line: one answer of 64 blocks is about 40 KB. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

  /** The default get-blocks rate. */
  public static final int DEFAULT_GET_BLOCKS_PER_SECOND = 200;

  /** The default rate of new-block and evidence messages. */
  public static final int DEFAULT_GOSSIP_PER_SECOND = 20;

  /** The seconds of get-blocks (or gossip) a peer may send in one burst. */
  public static final int BURST_SECONDS = 2;

  /** The most addresses a node keeps to dial (configured and learned). */
  public static final int MAX_KNOWN_ADDRESSES = 64;

  /** Checks the components. */
  public PeerSettings {
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(helloTimeout, "helloTimeout");
    if (helloTimeout.isNegative() || helloTimeout.isZero()) {
      throw new IllegalArgumentException("the hello timeout is positive");
    }
    peers = List.copyOf(peers);
    if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65_535)) {
      throw new IllegalArgumentException("a port is 0 to 65535, got " + port.getAsInt());
    }
    for (String peer : peers) {
      PeerWire.hostPort(peer, "--peer");
    }
    if (peers.size() > MAX_KNOWN_ADDRESSES) {
      throw new IllegalArgumentException("at most " + MAX_KNOWN_ADDRESSES + " peers");
    }
    if (maxPeers < 1 || maxPeers > 1024) {
      throw new IllegalArgumentException("the peer limit is 1 to 1024, got " + maxPeers);
    }
    if (maxLineLength < 64 * 1024) {
      throw new IllegalArgumentException(
          "the peer line limit is at least 65536 bytes (an answer of 64 blocks), got "
              + maxLineLength);
    }
    if (getBlocksPerSecond < 1) {
      throw new IllegalArgumentException(
          "the get-blocks rate is at least 1 a second, got " + getBlocksPerSecond);
    }
    if (gossipPerSecond < 1) {
      throw new IllegalArgumentException(
          "the gossip rate is at least 1 a second, got " + gossipPerSecond);
    }
    if (maxBackoff.isNegative() || maxBackoff.isZero()) {
      throw new IllegalArgumentException("the backoff is positive");
    }
  }

  /** No peer port and no peers: a node on its own (the default). */
  public static PeerSettings none() {
    return listening(OptionalInt.empty(), List.of());
  }

  /** A peer port (or none) and peers to dial, with the default limits. */
  public static PeerSettings listening(OptionalInt port, List<String> peers) {
    return new PeerSettings(
        port,
        peers,
        DEFAULT_MAX_PEERS,
        DEFAULT_MAX_LINE_LENGTH,
        DEFAULT_GET_BLOCKS_PER_SECOND,
        DEFAULT_GOSSIP_PER_SECOND,
        false,
        ChainSync.Limits.defaults(),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10));
  }

  /** These settings with another peer limit. */
  public PeerSettings withMaxPeers(int newMaxPeers) {
    return new PeerSettings(
        port,
        peers,
        newMaxPeers,
        maxLineLength,
        getBlocksPerSecond,
        gossipPerSecond,
        learnAnyAddress,
        sync,
        maxBackoff,
        helloTimeout);
  }

  /** Whether the node talks to other nodes at all. */
  public boolean enabled() {
    return port.isPresent() || !peers.isEmpty();
  }
}
