package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.stake.ValidatorId;
import java.util.List;

/**
 * What a {@link NetworkServer} reports, for a console or a log. Called on the node's owner thread:
 * implementations return quickly and never block.
 *
 * <p>Implementations decide their own thread-safety; the server calls them from one thread.
 */
public interface NetworkServerListener {
  /** The server listens on {@code port}; {@code repairs} are what the store repaired on open. */
  default void started(int port, List<String> repairs) {}

  /** A slot began. */
  default void slotStarted(long slot, long epoch, ValidatorId leader) {}

  /** A slot ended without a block. */
  default void slotMissed(long slot, ValidatorId leader) {}

  /** A block was stored and announced. */
  default void accepted(SignedBlock block) {}

  /** A block was refused. */
  default void refused(SignedBlock block, String code, String reason) {}

  /** One key signed two different blocks for one slot. */
  default void evidence(SignedBlock first, SignedBlock second) {}

  /** A validator logged in from {@code remote}. */
  default void loggedIn(ValidatorId validator, String remote) {}

  /** A login from {@code remote} failed. */
  default void loginFailed(String remote, String reason) {}

  /** The store failed: no more blocks are accepted until a restart. */
  default void forgingStopped(String reason) {}

  /** Storing evidence failed; the evidence was still logged. */
  default void evidenceNotStored(String reason) {}

  /**
   * The node switched to a peer's chain (fork choice): {@code removed} were rolled back (oldest
   * first); the new blocks follow as {@link #accepted} calls.
   */
  default void rolledBack(List<SignedBlock> removed) {}

  /** A peer connection passed its hello. */
  default void peerConnected(String remote, boolean outbound) {}

  /**
   * Dialling a peer failed; it is tried again after {@code retryIn}, or never if that is empty (an
   * address learned from a peer, given up after a few failures).
   */
  default void peerUnreachable(
      String address, String reason, java.util.Optional<java.time.Duration> retryIn) {}

  /** A peer connection closed, with the reason when this node closed it. */
  default void peerClosed(String remote, String reason) {}

  /** Valid blocks from a peer could not be stored; the node stays on its chain. */
  default void peerBlocksNotStored(String reason) {}
}
