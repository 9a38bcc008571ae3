package io.github.posj.net.session;

import io.github.posj.core.stake.ValidatorId;
import java.util.Objects;

/**
 * The node as a session sees it: where connections are admitted, validators register, propose, are
 * slashed and leave.
 *
 * <p>Contract: every method is called on the node's owner thread only (the thread that runs the
 * sessions), returns promptly and never blocks. Not thread-safe; confine to the owner thread.
 */
public interface Node {
  /** Admits a new connection; false when the server is full (the session then closes it). */
  boolean admit(ValidatorSession session);

  /** Registers the session's validator with {@code stake} (already checked against the limits). */
  Registration register(ValidatorSession session, long stake);

  /** Makes {@code validator}'s proposal a candidate block of the current round. */
  Proposal propose(ValidatorId validator, long bpm);

  /** Slashes {@code validator}: removes it from the stake table and forfeits its stake. */
  void slash(ValidatorId validator, String reason);

  /** Forgets a closed session (and its validator's stake, if it still has one); idempotent. */
  void leave(ValidatorSession session);

  /** The outcome of {@link #register}. */
  sealed interface Registration {
    /**
     * Registered.
     *
     * @param validator the new validator's address
     */
    record Accepted(ValidatorId validator) implements Registration {
      /** Checks the component. */
      public Accepted {
        Objects.requireNonNull(validator, "validator");
      }
    }

    /**
     * Refused; the session may try again.
     *
     * @param reason why, for a person
     */
    record Refused(String reason) implements Registration {
      /** Checks the component. */
      public Refused {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  /** The outcome of {@link #propose}. */
  sealed interface Proposal {
    /**
     * The candidate was queued for the round.
     *
     * @param index the candidate block's Index
     */
    record Accepted(long index) implements Proposal {}

    /**
     * Not queued (e.g. too many proposals this round); not a fault.
     *
     * @param reason why, for a person
     */
    record Refused(String reason) implements Proposal {
      /** Checks the component. */
      public Refused {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }
}
