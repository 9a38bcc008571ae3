package io.github.posj.net.server;

import io.github.posj.core.block.Block;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;

/**
 * What a server reports to its embedder (the CLI prints these). Every method has a no-op default.
 *
 * <p>Contract: methods are called on the server's owner thread, the thread that owns the chain and
 * the stakes; they must return quickly and never block (no console reads, no network, no long disk
 * writes), or every round and every connection waits. Exceptions they throw are logged and ignored.
 */
public interface ServerListener {
  /** A listener that does nothing. */
  ServerListener NONE = new ServerListener() {};

  /** The server is listening on {@code port}; {@code genesis} is its chain's first block. */
  default void onStarted(int port, Block genesis) {}

  /** A connection registered as {@code validator} with {@code stake} tokens. */
  default void onRegistered(ValidatorId validator, long stake) {}

  /** {@code validator} was slashed for {@code reason}. */
  default void onSlashed(ValidatorId validator, String reason) {}

  /** Round {@code roundNumber} (from 1) ended with {@code outcome}. */
  default void onRound(long roundNumber, RoundOutcome outcome) {}

  /**
   * Round {@code roundNumber} drew a winner, but its {@code block} could not be stored ({@code
   * message} says why: disk full, I/O error), so it was neither appended nor announced: the chain
   * is unchanged, and every connection is told the round had no winner (reason {@code
   * store-failed}). Called instead of {@link #onRound} for that round.
   */
  default void onStoreFailed(long roundNumber, Block block, String message) {}
}
