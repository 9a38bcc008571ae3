package io.github.posj.net.session;

import io.github.posj.core.chain.Chain;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.stake.ValidatorId;
import java.util.Optional;

/**
 * The node as a session sees it. Connections are admitted and forgotten here; everything else is in
 * the node's own terms: a stake, a validator's proposal, a malformed proposal, each answered with
 * the node's event ({@code io.github.posj.core.node.Node} decides; the session only words the
 * answer).
 *
 * <p>Contract: every method is called on the node's owner thread only (the thread that runs the
 * sessions), returns promptly and never blocks. Not thread-safe; confine to the owner thread.
 */
public interface SessionHost {
  /** Admits a new connection; false when the server is full (the session then closes it). */
  boolean admit(ValidatorSession session);

  /** The node's chain now: an immutable snapshot (for a welcome's height, a block range). */
  Chain chain();

  /**
   * Offers a stake for a new validator.
   *
   * @return {@link NodeEvent.Registered} or {@link NodeEvent.RegistrationRefused}
   */
  NodeEvent register(long stake);

  /**
   * Proposes a block for {@code validator}.
   *
   * @return {@link NodeEvent.ProposalAccepted} or {@link NodeEvent.ProposalRefused}
   */
  NodeEvent propose(ValidatorId validator, long bpm);

  /**
   * Reports a malformed proposal (a BPM that is not an integer).
   *
   * @return the slashing, or empty if {@code validator} was no longer registered
   */
  Optional<NodeEvent.Slashed> proposeMalformed(ValidatorId validator, String bpm);

  /**
   * Takes {@code validator} out of the lottery (its stake is released) while its connection stays
   * open a little longer; idempotent.
   */
  void withdraw(ValidatorId validator);

  /** Forgets a closed session, and releases its validator's stake if it has one; idempotent. */
  void leave(ValidatorSession session);
}
