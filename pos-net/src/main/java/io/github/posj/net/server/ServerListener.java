package io.github.posj.net.server;

import io.github.posj.core.block.Block;
import io.github.posj.core.node.NodeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a server reports to its embedder (the CLI prints these): that it started, and every event of
 * its node, once. The server itself logs events only at debug level, so an embedder that prints
 * them does not see them twice. Every method has a no-op default.
 *
 * <p>Contract: methods are called on the server's owner thread, the thread that owns the chain and
 * the stakes, in the order things happened; they must return quickly and never block (no console
 * reads, no network, no long disk writes), or every round and every connection waits. Exceptions
 * they throw are logged and ignored.
 */
public interface ServerListener {
  /** A listener that does nothing. */
  ServerListener NONE = new ServerListener() {};

  /** The server is listening and has loaded its chain. */
  default void onStarted(Started started) {}

  /**
   * The node did something: a validator joined, left or was slashed, a round ended, a block could
   * not be stored, forging stopped (also the answers to requests: refused stakes and proposals).
   *
   * @param time when, by the server's clock
   * @param event what
   */
  default void onEvent(Instant time, NodeEvent event) {}

  /**
   * What a starting server loaded and where it listens.
   *
   * <p>Immutable; thread-safe.
   *
   * @param bindAddress the address it listens on
   * @param port the port it listens on
   * @param hashScheme the chain's hash scheme
   * @param height the loaded chain's height (0: a new chain of its genesis block)
   * @param head the chain's last block (the genesis block of a new chain)
   * @param roundDuration the round length
   * @param repairs what the store repaired while loading, one message each
   */
  record Started(
      String bindAddress,
      int port,
      String hashScheme,
      long height,
      Block head,
      Duration roundDuration,
      List<String> repairs) {
    /** Checks and copies the components. */
    public Started {
      Objects.requireNonNull(bindAddress, "bindAddress");
      Objects.requireNonNull(hashScheme, "hashScheme");
      Objects.requireNonNull(head, "head");
      Objects.requireNonNull(roundDuration, "roundDuration");
      repairs = List.copyOf(repairs);
    }
  }
}
