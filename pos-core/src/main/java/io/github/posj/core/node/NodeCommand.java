package io.github.posj.core.node;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.time.Instant;
import java.util.Objects;

/**
 * An input to a {@link Node}. A command carries every value it needs from outside the node (the
 * time a block is made at, the random material an address is minted from), so that a log of
 * commands replays to the same events and the same chain.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface NodeCommand {
  /**
   * A new validator offers a stake.
   *
   * <p>Immutable; thread-safe.
   *
   * @param stake the stake in tokens, as offered (the node checks it against {@link NodeRules})
   * @param addressMaterial random bytes the validator's address is derived from ({@code
   *     ValidatorId.derive}); a host draws them from a strong source, a test or a replay hands in
   *     fixed ones
   */
  record Register(long stake, Hash addressMaterial) implements NodeCommand {
    /** Checks the component. */
    public Register {
      Objects.requireNonNull(addressMaterial, "addressMaterial");
    }
  }

  /**
   * A validator proposes a block with this BPM.
   *
   * <p>Immutable; thread-safe.
   *
   * @param validator the proposer
   * @param bpm the block's BPM
   * @param time when the block is made: its {@code Timestamp}
   */
  record Propose(ValidatorId validator, long bpm, Instant time) implements NodeCommand {
    /** Checks the components. */
    public Propose {
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(time, "time");
    }
  }

  /**
   * A validator sent a BPM that is not an integer: a malformed block, which forfeits its stake.
   *
   * <p>Immutable; thread-safe.
   *
   * @param validator the proposer
   * @param bpm what it sent instead of an integer (as evidence, for the event)
   */
  record ProposeMalformed(ValidatorId validator, String bpm) implements NodeCommand {
    /** Checks the components. */
    public ProposeMalformed {
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(bpm, "bpm");
    }
  }

  /**
   * A validator left (its connection closed): its stake is released.
   *
   * <p>Immutable; thread-safe.
   *
   * @param validator the validator
   */
  record Leave(ValidatorId validator) implements NodeCommand {
    /** Checks the component. */
    public Leave {
      Objects.requireNonNull(validator, "validator");
    }
  }

  /**
   * The round's time is up: draw a winner among its proposals.
   *
   * <p>Immutable; thread-safe.
   */
  record EndRound() implements NodeCommand {}
}
