package io.github.posj.core.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.RuleViolation;
import io.github.posj.core.stake.ValidatorId;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link NetworkNode} reports after a command.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface NetworkEvent {
  /**
   * A slot began.
   *
   * <p>Immutable; thread-safe.
   *
   * @param slot the slot
   * @param epoch its epoch
   * @param leader the validator whose turn it is
   */
  record SlotStarted(long slot, long epoch, ValidatorId leader) implements NetworkEvent {
    /** Checks the components. */
    public SlotStarted {
      Objects.requireNonNull(leader, "leader");
    }
  }

  /**
   * A slot ended without a block: its leader was offline, late or skipped it.
   *
   * <p>Immutable; thread-safe.
   *
   * @param slot the slot
   * @param leader its leader
   */
  record SlotMissed(long slot, ValidatorId leader) implements NetworkEvent {
    /** Checks the components. */
    public SlotMissed {
      Objects.requireNonNull(leader, "leader");
    }
  }

  /**
   * A block was accepted and stored durably: announce it.
   *
   * <p>Immutable; thread-safe.
   *
   * @param block the block, now the head
   */
  record Accepted(SignedBlock block) implements NetworkEvent {
    /** Checks the component. */
    public Accepted {
      Objects.requireNonNull(block, "block");
    }
  }

  /**
   * A block was refused; nothing changed. Never a slashing.
   *
   * <p>Immutable; thread-safe.
   *
   * @param block the block
   * @param reason why, as a kind
   * @param rule the chain rule it breaks, for {@link Refusal#BREAKS_RULE}
   * @param detail what was expected and found, for a person
   */
  record Refused(SignedBlock block, Refusal reason, Optional<RuleViolation> rule, String detail)
      implements NetworkEvent {
    /** Checks the components. */
    public Refused {
      Objects.requireNonNull(block, "block");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * One key signed two different blocks for one slot: equivocation. Both are kept as evidence
   * (slashing by evidence needs stake transactions, which come later).
   *
   * <p>Immutable; thread-safe.
   *
   * @param first the block the chain holds
   * @param second the other block, signed by the same key for the same slot
   */
  record EvidenceFound(SignedBlock first, SignedBlock second) implements NetworkEvent {
    /** Checks the components. */
    public EvidenceFound {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(second, "second");
    }
  }

  /**
   * The store failed in a way that leaves it untrustworthy: the node accepts no more blocks until
   * it is restarted. Reported once.
   *
   * <p>Immutable; thread-safe.
   *
   * @param reason the store's message
   */
  record ForgingStopped(String reason) implements NetworkEvent {
    /** Checks the component. */
    public ForgingStopped {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Why a block was refused.
   *
   * <p>Immutable; thread-safe.
   */
  enum Refusal {
    /** Its slot has not begun by the node's clock. */
    FUTURE_SLOT,
    /** Its slot is over by the node's clock. */
    LATE,
    /** The chain already holds a block at or after its slot. */
    SLOT_TAKEN,
    /** It is the very block the chain already holds. */
    DUPLICATE,
    /** Its PubKey is not the key the connection logged in with. */
    NOT_YOUR_KEY,
    /** It breaks a chain rule (not the slot's leader, wrong parent, bad reveal or signature...). */
    BREAKS_RULE,
    /** The store could not keep it; nothing was announced. */
    STORE_FAILED,
    /** The node stopped accepting blocks after a store failure. */
    FORGING_STOPPED
  }
}
