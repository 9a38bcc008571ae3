package io.github.posj.core.round;

import io.github.posj.core.block.Block;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.stake.ValidatorId;
import java.util.Objects;

/**
 * What a round came to: a forged block, or a typed reason there was none.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface RoundOutcome {
  /** The round's counts, for logs and reports. */
  Tally tally();

  /**
   * A winner was drawn and its block appended.
   *
   * <p>Immutable; thread-safe.
   *
   * @param chain the new chain, whose head is {@code block}
   * @param block the winner's block
   * @param winner the winning validator
   * @param tally the round's counts
   */
  record Forged(Chain chain, Block block, ValidatorId winner, Tally tally) implements RoundOutcome {
    /** Checks the components. */
    public Forged {
      Objects.requireNonNull(chain, "chain");
      Objects.requireNonNull(block, "block");
      Objects.requireNonNull(winner, "winner");
      Objects.requireNonNull(tally, "tally");
    }
  }

  /**
   * No block this round; the chain is unchanged.
   *
   * <p>Immutable; thread-safe.
   *
   * @param reason why
   * @param tally the round's counts
   */
  record Skipped(SkipReason reason, Tally tally) implements RoundOutcome {
    /** Checks the components. */
    public Skipped {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(tally, "tally");
    }
  }

  /**
   * Why a round forged nothing.
   *
   * <p>Immutable; thread-safe.
   */
  enum SkipReason {
    /** Nobody proposed a block. */
    NO_PROPOSALS,
    /**
     * Blocks were proposed, but none that extends the head came from a known validator with a
     * positive stake (the tutorial panics here: defect B2).
     */
    NO_ELIGIBLE_VALIDATOR,
    /**
     * A winner was drawn, but its block could not be stored, so it was neither appended nor
     * announced. {@link Round#resolve} never returns this reason: a node that stores blocks does
     * ({@code io.github.posj.core.node.Node}).
     */
    STORE_FAILED
  }

  /**
   * A round's counts.
   *
   * <p>Immutable; thread-safe.
   *
   * @param proposals candidate blocks received
   * @param stale candidates discarded because they do not extend the current head (wrong Index,
   *     PrevHash or Hash)
   * @param ineligible candidates discarded because their validator is unknown, slashed or has no
   *     positive stake
   * @param eligibleValidators distinct validators in the draw
   * @param eligibleStake their total stake: the number of tickets
   */
  record Tally(
      int proposals, int stale, int ineligible, int eligibleValidators, long eligibleStake) {}
}
