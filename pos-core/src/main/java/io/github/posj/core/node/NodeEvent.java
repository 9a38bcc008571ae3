package io.github.posj.core.node;

import io.github.posj.core.block.Block;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import java.util.Objects;

/**
 * An output of a {@link Node}: what happened, with typed reasons. Hosts turn events into messages
 * for their clients, log lines or metrics; the words are theirs, not the node's.
 *
 * <p>Every event kind has a method in {@link Visitor}, so a host that handles events through a
 * visitor fails to compile when a kind is added, instead of ignoring it.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface NodeEvent {
  /** Calls the {@code visitor}'s method for this kind of event. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per event kind.
   *
   * <p>Implementations say whether they are thread-safe.
   *
   * @param <R> what the visit returns
   */
  interface Visitor<R> {
    /** A validator registered. */
    R registered(Registered event);

    /** A stake was refused. */
    R registrationRefused(RegistrationRefused event);

    /** A proposal became a candidate. */
    R proposalAccepted(ProposalAccepted event);

    /** A proposal was refused. */
    R proposalRefused(ProposalRefused event);

    /** A validator was slashed. */
    R slashed(Slashed event);

    /** A validator left. */
    R left(Left event);

    /** A round ended. */
    R roundEnded(RoundEnded event);

    /** A drawn block could not be stored. */
    R blockNotStored(BlockNotStored event);

    /** The node stopped forging. */
    R forgingStopped(ForgingStopped event);
  }

  /**
   * A validator registered: it is in the stake table and may propose.
   *
   * <p>Immutable; thread-safe.
   *
   * @param validator its address, minted from the command's material
   * @param stake its stake in tokens
   * @param validators how many validators are registered now
   */
  record Registered(ValidatorId validator, long stake, int validators) implements NodeEvent {
    /** Checks the component. */
    public Registered {
      Objects.requireNonNull(validator, "validator");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.registered(this);
    }
  }

  /**
   * A stake was refused; nobody was registered.
   *
   * <p>Immutable; thread-safe.
   *
   * @param reason why
   * @param stake the stake offered
   * @param limit the bound it broke: the minimum, the maximum, or for {@link
   *     Reason#TOTAL_STAKE_FULL} how many tokens still fit; 0 for {@link Reason#ADDRESS_TAKEN}
   */
  record RegistrationRefused(Reason reason, long stake, long limit) implements NodeEvent {
    /** Checks the component. */
    public RegistrationRefused {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.registrationRefused(this);
    }

    /**
     * Why a stake was refused.
     *
     * <p>Immutable; thread-safe.
     */
    public enum Reason {
      /** Below {@link NodeRules#minStake()}. */
      BELOW_MINIMUM,
      /** Above {@link NodeRules#maxStake()}. */
      ABOVE_MAXIMUM,
      /** The network's total stake cannot take this many more tokens (it would overflow). */
      TOTAL_STAKE_FULL,
      /** The address minted from the material is already registered (draw new material). */
      ADDRESS_TAKEN
    }
  }

  /**
   * A proposal became a candidate block of the current round.
   *
   * <p>Immutable; thread-safe.
   *
   * @param validator the proposer
   * @param block the candidate, built on the head current at proposal time
   */
  record ProposalAccepted(ValidatorId validator, Block block) implements NodeEvent {
    /** Checks the components. */
    public ProposalAccepted {
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(block, "block");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.proposalAccepted(this);
    }
  }

  /**
   * A proposal was refused; not a fault, nothing is forfeited.
   *
   * <p>Immutable; thread-safe.
   *
   * @param validator the proposer
   * @param reason why
   * @param limit {@link NodeRules#maxProposalsPerRound()} for {@link Reason#TOO_MANY_PROPOSALS}, 0
   *     otherwise
   */
  record ProposalRefused(ValidatorId validator, Reason reason, long limit) implements NodeEvent {
    /** Checks the components. */
    public ProposalRefused {
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.proposalRefused(this);
    }

    /**
     * Why a proposal was refused.
     *
     * <p>Immutable; thread-safe.
     */
    public enum Reason {
      /** The validator is not registered (never was, left, or was slashed). */
      NOT_REGISTERED,
      /** It already made {@link NodeRules#maxProposalsPerRound()} proposals this round. */
      TOO_MANY_PROPOSALS,
      /** The node has stopped forging ({@link ForgingStopped}). */
      FORGING_STOPPED
    }
  }

  /**
   * A validator proposed a malformed block (a BPM that is not an integer): it is removed and its
   * stake is forfeited.
   *
   * <p>Immutable; thread-safe.
   *
   * @param validator the slashed validator
   * @param forfeited the stake it forfeited
   * @param bpm what it sent instead of an integer
   */
  record Slashed(ValidatorId validator, long forfeited, String bpm) implements NodeEvent {
    /** Checks the components. */
    public Slashed {
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(bpm, "bpm");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.slashed(this);
    }
  }

  /**
   * A validator left; its stake is released (not forfeited).
   *
   * <p>Immutable; thread-safe.
   *
   * @param validator the validator
   * @param released its stake
   * @param validators how many validators are registered now
   */
  record Left(ValidatorId validator, long released, int validators) implements NodeEvent {
    /** Checks the component. */
    public Left {
      Objects.requireNonNull(validator, "validator");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.left(this);
    }
  }

  /**
   * A round ended. A forged block was stored before this event was made.
   *
   * <p>Immutable; thread-safe.
   *
   * @param round the round's number, from 1
   * @param outcome what it came to: {@link RoundOutcome.Forged}, or {@link RoundOutcome.Skipped}
   *     with a reason (including {@link RoundOutcome.SkipReason#STORE_FAILED}, after a {@link
   *     BlockNotStored})
   * @param height the chain's height after the round
   */
  record RoundEnded(long round, RoundOutcome outcome, long height) implements NodeEvent {
    /** Checks the component. */
    public RoundEnded {
      Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.roundEnded(this);
    }
  }

  /**
   * Round {@code round} drew a winner, but its block could not be stored, so it was neither
   * appended nor announced. The {@link RoundEnded} that follows says {@link
   * RoundOutcome.SkipReason#STORE_FAILED}.
   *
   * <p>Immutable; thread-safe.
   *
   * @param round the round's number
   * @param block the block that was not stored
   * @param message the store's reason, for a person
   * @param broken whether the store is broken (it may now hold a partial or different chain), in
   *     which case a {@link ForgingStopped} follows
   */
  record BlockNotStored(long round, Block block, String message, boolean broken)
      implements NodeEvent {
    /** Checks the components. */
    public BlockNotStored {
      Objects.requireNonNull(block, "block");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.blockNotStored(this);
    }
  }

  /**
   * The node stopped forging for good (until it is restarted): its store is broken, so appending
   * could only make it worse. Rounds no longer run and proposals are refused; the chain it holds is
   * still valid and may still be read. Emitted once.
   *
   * <p>Immutable; thread-safe.
   *
   * @param cause the store's reason, for a person
   */
  record ForgingStopped(String cause) implements NodeEvent {
    /** Checks the component. */
    public ForgingStopped {
      Objects.requireNonNull(cause, "cause");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.forgingStopped(this);
    }
  }
}
